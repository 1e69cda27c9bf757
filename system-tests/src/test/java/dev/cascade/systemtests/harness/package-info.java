/**
 * The end-to-end harness: Kafka, PostgreSQL, the registry and the five packaged services as separate processes on the
 * real default ports, one stack shared by every test class of the run, and the packaged CLI to drive it as an operator.
 */
package dev.cascade.systemtests.harness;
