/**
 * The only package of the publisher that touches Kafka: consumers of unsigned-versions, signed-versions,
 * zone-reviews and zone-registry, the reading of zone content, the published-versions and publish-progress emitters
 * and, at start, the restore of published versions and the rebuild of the tables from the log.
 */
package dev.cascade.publisher.pipeline;
