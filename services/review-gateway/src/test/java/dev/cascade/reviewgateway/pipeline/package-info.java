/**
 * Component tests of the pipeline against real Kafka, PostgreSQL and Apicurio (test-infra): the projection rebuilt
 * from the log.
 */
package dev.cascade.reviewgateway.pipeline;
