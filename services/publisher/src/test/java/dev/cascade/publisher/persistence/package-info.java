/**
 * Tests of the publisher's Hibernate Reactive store against the real PostgreSQL from test-infra: the approval and the
 * signed-version fact of one version, in either order and at the same moment.
 */
package dev.cascade.publisher.persistence;
