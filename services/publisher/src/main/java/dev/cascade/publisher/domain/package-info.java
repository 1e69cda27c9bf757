/**
 * Plain-Java core of the publisher: immutable per-version zone snapshots, the set of zones a server serves, the
 * transfer ACL, and the DNS responder (SOA, AXFR, IXFR answered as AXFR). No sockets, no Kafka, no database.
 */
package dev.cascade.publisher.domain;
