/**
 * The only package of the signer that touches Kafka: consumers of zone-registry, key-sets, unsigned-versions and
 * zone-reviews, the signed-versions and sign-progress emitters, the mapping between Avro events and domain types, and
 * which zones this instance holds among its replicas.
 */
package dev.cascade.signer.pipeline;
