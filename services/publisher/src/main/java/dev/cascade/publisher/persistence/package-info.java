/**
 * The publisher's PostgreSQL projection (schema {@code publisher}), written with Hibernate Reactive: the signed
 * versions it has heard of, with their approvals, and per zone the published version and where its content is, so a
 * restart serves it again.
 */
package dev.cascade.publisher.persistence;
