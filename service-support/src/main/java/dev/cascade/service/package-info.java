/**
 * The Kafka plumbing every Cascade service shares (issue 9: one library instead of a copy per service): client
 * settings, and reading a topic's history back so a service can rebuild its state from its own facts. No Quarkus
 * here: services call it from their {@code pipeline} packages, and its tests run against a plain broker.
 */
package dev.cascade.service;
