/**
 * End-to-end tests of the running signer (@QuarkusTest) against real Kafka, PostgreSQL and the Apicurio registry
 * from test-infra: events in on the real topics, signed versions out, content verified independently.
 */
package dev.cascade.signer.pipeline;
