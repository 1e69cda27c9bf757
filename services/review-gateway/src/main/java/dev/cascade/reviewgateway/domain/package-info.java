/**
 * Plain-Java core of review-gateway: policies and their validation, the per-zone pipeline state machine
 * (cascade-reference.md §1.3), the history wording of the reference CLI (§1.4) and the progress of long steps shown
 * under the step a zone is in. No Quarkus, Kafka or JPA here,
 * so all of it is unit-tested without booting anything.
 */
package dev.cascade.reviewgateway.domain;
