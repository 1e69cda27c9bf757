/**
 * The only package of the signer that touches Kafka: consumers of zone-registry, key-sets, unsigned-versions and
 * zone-reviews, the signed-versions emitter (progress reports go through service-support's StepProgressEmitter), the
 * mapping between Avro events and domain types, which zones this instance holds among its replicas, and the start-up
 * restore and rebuild of the tables from the log.
 */
package dev.cascade.signer.pipeline;
