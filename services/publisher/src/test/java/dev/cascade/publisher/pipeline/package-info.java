/**
 * End-to-end tests of the running publisher (@QuarkusTest) against real Kafka, PostgreSQL and the Apicurio registry
 * from test-infra: signed versions and approvals in, zones served over real DNS sockets and events out.
 */
package dev.cascade.publisher.pipeline;
