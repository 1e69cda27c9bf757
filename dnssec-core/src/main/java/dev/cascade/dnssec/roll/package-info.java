/**
 * Key rollovers (RFC 7583, RFC 6781 §4.1) as a pure state machine: a zone's keys with what each does (published in
 * the DNSKEY RRset, signing, referenced by the parent's DS), the rolls in progress, and the steps that move them on,
 * each checked against the phase the roll is in and the time its caches need. Time comes in as an argument; nothing
 * here touches the network, a clock or storage, so a roll of a year is tested in milliseconds.
 */
package dev.cascade.dnssec.roll;
