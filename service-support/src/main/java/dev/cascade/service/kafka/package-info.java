/**
 * The Kafka side of the shared plumbing: client settings and reading a topic's history back. Only a service's
 * {@code pipeline} package uses it (each service's ArchitectureTest holds it to that).
 */
package dev.cascade.service.kafka;
