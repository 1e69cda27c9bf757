/**
 * The messaging beans every service shares (issue 9: one library instead of a copy per service): how a consumed
 * record is handled, tried again with backoff and, when it still fails, set aside on the service's dead-letter topic
 * so the records behind it move on; facts written exactly once, in Kafka transactions with the consumed event's
 * offset; the progress reports of a long step; and the one {@code java.time.Clock} of the service. CDI beans on
 * SmallRye Reactive Messaging; only a service's {@code pipeline} package uses them (each service's ArchitectureTest
 * holds it to that), other packages are given the Clock as a plain {@code java.time.Clock}.
 */
package dev.cascade.service.messaging;
