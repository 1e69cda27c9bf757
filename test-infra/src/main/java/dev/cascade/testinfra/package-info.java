/**
 * Real Kafka, PostgreSQL and Apicurio registry for tests, never mocks: each is started once per JVM, taken from the
 * environment, from Testcontainers where Docker exists, or run in the test JVM / as a child process otherwise. Quarkus
 * tests use the {@code *Resource} lifecycle managers; plain JUnit tests call {@link dev.cascade.testinfra.Services}.
 */
package dev.cascade.testinfra;
