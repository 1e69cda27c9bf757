/**
 * Plain JUnit tests of the domain: policy parsing against the shipped policy files and the reference's defaults,
 * and the zone state machine with its history wording and review gates.
 */
package dev.cascade.reviewgateway.domain;
