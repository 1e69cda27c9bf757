/**
 * Replay for audit (issue 11 item 4): what happened to every zone, read back from the topics alone, with no service
 * and no database (docs/architecture.md, rule 1, "Log first": the topics are the record, the tables projections of
 * it). {@link dev.cascade.audit.EventLog} reads the fact topics, {@link dev.cascade.audit.ZoneHistory} orders one
 * zone's facts with their causation chains, and {@link dev.cascade.audit.VersionAudit} reads each published version
 * back from its content topic (checked against its digest) and runs the verification gate, dnssec-core's {@code
 * ZoneVerifier}, on it again. Plain Java on Kafka clients and the registry serde, so the {@code cascade} CLI runs it.
 */
package dev.cascade.audit;
