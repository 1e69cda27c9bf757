/**
 * What the services share for their traces (issue 11, docs/operations.md "Traces"): the attributes that name the zone
 * version a span works on ({@code cascade.zone}, {@code cascade.serial}, {@code cascade.version_id}), the child spans
 * of a step's phases, the continuation of a version's trace across a review gate (span links), and the sampler that
 * turns export on or off at run time. OpenTelemetry API only; dnssec-core stays free of it.
 */
package dev.cascade.service.tracing;
