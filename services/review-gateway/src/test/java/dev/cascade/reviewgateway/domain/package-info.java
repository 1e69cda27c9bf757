/**
 * Plain JUnit tests of the domain: policy parsing against the shipped policy files and the reference's defaults,
 * the zone state machine with its history wording and review gates, which progress of a long step a zone shows,
 * and who uses a TSIG key.
 */
package dev.cascade.reviewgateway.domain;
