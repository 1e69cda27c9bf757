/**
 * Component tests of the operator API against real Kafka, PostgreSQL and Apicurio (test-infra): commands become
 * events on the bus, pipeline events fed with raw clients move the projection and the review gates.
 */
package dev.cascade.reviewgateway.api;
