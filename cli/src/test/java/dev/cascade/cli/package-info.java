/**
 * Tests of the CLI: status rendering from fixed API answers (the reference's §1.4 layout), argument parsing, and
 * error handling against a small in-test HTTP server standing in for the operator API; {@code signzone} with BIND
 * key files, checked by external validators; and ({@code *IT}, failsafe) {@code bin/cascade} on the packaged jar.
 */
package dev.cascade.cli;
