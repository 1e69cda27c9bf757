/**
 * The messaging beans every service shares (issue 9: one library instead of a copy per service): how a consumed
 * record is handled, tried again with backoff and, when it still fails, set aside on the service's dead-letter topic
 * so the records behind it move on. CDI beans on SmallRye Reactive Messaging; only a service's {@code pipeline}
 * package uses them (each service's ArchitectureTest holds it to that).
 */
package dev.cascade.service.messaging;
