/**
 * What every Cascade service shares (issue 9: one library instead of a copy per service, copies that had drifted
 * apart): the canonical zone apex, the start-up restore from a service's own topic (the base class of each service's
 * restore bean), in {@code kafka} the Kafka plumbing, and in {@code messaging} the CDI beans every consumer goes
 * through (retries and dead letters), the progress emitter and the clock. CDI and SmallRye Reactive Messaging APIs,
 * and of Quarkus only its start-up event and build-time bean conditions, which the services bring: the tests here run
 * without a Quarkus application.
 */
package dev.cascade.service;
