/**
 * The only package of the publisher that touches Kafka: consumers of unsigned-versions, signed-versions,
 * zone-reviews and zone-registry, the reading of zone content, the announcement of publications (through
 * service-support's FactTransactions; progress reports through its StepProgressEmitter), and the restores and the
 * rebuild of the tables from the log at start.
 */
package dev.cascade.publisher.pipeline;
