/**
 * Real DNS servers from Debian as child processes of a test: {@code named} (bind9) as a primary, {@code knotd} and
 * {@code nsd} as secondaries or as the authority of a zone file. Each writes its configuration in a temporary
 * directory, starts unprivileged on a loopback port, waits until it answers, and shows its log when it fails
 * ({@link dev.cascade.testinfra.dns.DnsServerProcess}). Plain dnsjava, no Cascade code: any module's tests may use it.
 */
package dev.cascade.testinfra.dns;
