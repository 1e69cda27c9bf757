/**
 * End-to-end scenarios against the running stack, one zone name per scenario so a single stack serves them all:
 * the happy path checked by two independent DNSSEC verifiers, manual review, bad input, crash and restart of every
 * service, and one trace across the pipeline.
 */
package dev.cascade.systemtests.e2e;
