/**
 * PostgreSQL tables of review-gateway (schema {@code reviewgateway}, Hibernate Reactive): the per-zone status
 * projection, the history lines, the event ids already applied (replay and redelivery are no-ops) and the outbox of
 * gate approvals still to be sent. All of it can be rebuilt by replaying the topics.
 */
package dev.cascade.reviewgateway.persistence;
