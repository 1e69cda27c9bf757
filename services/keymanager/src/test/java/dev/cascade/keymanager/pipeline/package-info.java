/**
 * End-to-end tests of the key manager inside Quarkus, against a real Kafka broker, PostgreSQL and Apicurio registry
 * from test-infra: registry facts go in through a raw producer, key sets come back through raw consumers.
 */
package dev.cascade.keymanager.pipeline;
