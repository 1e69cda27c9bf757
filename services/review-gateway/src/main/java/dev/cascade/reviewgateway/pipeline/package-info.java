/**
 * The only package of review-gateway that touches Kafka: the emitters for zone-registry facts and review decisions,
 * the consumer that feeds every pipeline topic into the projection and the gates, the consumer of the three progress
 * topics, the outbox relay, the rebuild of the projection from the log at start, and the mapping between the Avro
 * events of shared-events and the domain's {@link dev.cascade.reviewgateway.domain.ZoneFact} and
 * {@link dev.cascade.reviewgateway.domain.StepProgress}.
 */
package dev.cascade.reviewgateway.pipeline;
