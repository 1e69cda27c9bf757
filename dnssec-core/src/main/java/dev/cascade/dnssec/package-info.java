/**
 * Cascade's plain-Java DNSSEC core: zone input, keys, signing, serials and verification.
 * Kept free of Quarkus, Kafka, Avro and JPA (enforced by an ArchUnit test) so every service can
 * use it and its tests run in milliseconds.
 */
package dev.cascade.dnssec;
