/**
 * What every Cascade service shares (issue 9: one library instead of a copy per service, copies that had drifted
 * apart): the canonical zone apex, the start-up restore from a service's own topic, and, in {@code kafka}, the Kafka
 * plumbing. No Quarkus here: services call it, and its tests run against a plain broker.
 */
package dev.cascade.service;
