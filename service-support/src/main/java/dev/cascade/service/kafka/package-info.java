/**
 * The Kafka side of the shared plumbing: client settings, reading a topic's history back, and an instance's
 * transactional producer for exactly-once facts. Only a service's {@code pipeline} package uses it (each service's
 * ArchitectureTest holds it to that).
 */
package dev.cascade.service.kafka;
