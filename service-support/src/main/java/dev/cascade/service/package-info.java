/**
 * What every Cascade service shares (issue 9: one library instead of a copy per service, copies that had drifted
 * apart): the canonical zone apex, the start-up restore from a service's own topic and the start-up rebuild of its
 * tables from the log, in {@code kafka} the Kafka plumbing, and in {@code messaging} the CDI beans every consumer goes
 * through (retries and dead letters). No Quarkus here, only CDI and SmallRye Reactive Messaging APIs: its tests run
 * without a Quarkus application.
 */
package dev.cascade.service;
