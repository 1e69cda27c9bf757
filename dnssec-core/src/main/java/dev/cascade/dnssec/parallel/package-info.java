/**
 * The few concurrency helpers that the parser, the signer and the writer share: pools of daemon worker threads and
 * work cut into index ranges. Large zones are read, normalised and signed on every core.
 */
package dev.cascade.dnssec.parallel;
