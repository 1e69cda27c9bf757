/**
 * Raw Kafka clients for the services' tests, used the way another service would use the bus: Avro values through the
 * Apicurio registry, W3C trace context headers, a topic reader by assignment, a consumer group's committed offsets,
 * and the zone registry facts that review-gateway would write. Kept here so every service's tests exercise the bus the
 * same way.
 */
package dev.cascade.testinfra.kafka;
