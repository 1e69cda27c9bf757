/**
 * How far a long piece of work on a zone has got (the reference's "progress: 9.4 KB / 94 KB (10%)" in zone status,
 * cascade-reference.md §1.4): the parser, the signer, the verification gate and the content reader and writer count
 * as they go, and a {@link dev.cascade.dnssec.progress.ProgressThrottle} passes the counts on at most once per
 * interval, so reporting never costs the work more than a clock read per batch.
 */
package dev.cascade.dnssec.progress;
