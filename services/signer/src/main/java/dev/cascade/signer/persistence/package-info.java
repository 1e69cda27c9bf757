/**
 * The signer's PostgreSQL projection (schema {@code signer}), written with Hibernate Reactive: policy, wrapped key set,
 * unsigned manifests, approvals with their signing outcome, rejections at the unsigned gate, and the last signed
 * serial per zone. Private keys are stored only wrapped.
 */
package dev.cascade.signer.persistence;
