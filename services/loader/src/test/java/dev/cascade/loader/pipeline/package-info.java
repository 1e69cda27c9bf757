/**
 * End-to-end tests of the loader's pipeline inside Quarkus, against a real Kafka broker, PostgreSQL and Apicurio
 * registry from test-infra: registry facts go in through a raw producer, unsigned versions come back through a raw consumer.
 */
package dev.cascade.loader.pipeline;
