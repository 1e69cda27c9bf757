/**
 * Plain-Java signing logic of the signer: what a zone needs before a version can be signed, when its last signed
 * version is re-signed, turning wrapped keys into signing keys, and signing plus the verification gate. No Kafka, no
 * database, so it is tested with plain JUnit.
 */
package dev.cascade.signer.domain;
