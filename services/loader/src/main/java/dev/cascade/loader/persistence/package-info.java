/**
 * The loader's PostgreSQL projection (schema {@code loader}), written with Hibernate Reactive: the last loaded version
 * of each zone, so an unchanged file yields no new version, and the ids of processed registry events, so a redelivered
 * event is skipped.
 */
package dev.cascade.loader.persistence;
