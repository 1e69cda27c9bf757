/**
 * Plain-Java core of review-gateway: policies and their validation, the per-zone pipeline state machine
 * (cascade-reference.md §1.3) and the history wording of the reference CLI (§1.4). No Quarkus, Kafka or JPA here,
 * so all of it is unit-tested without booting anything.
 */
package dev.cascade.reviewgateway.domain;
