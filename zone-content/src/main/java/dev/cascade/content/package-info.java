/**
 * Zone content on the bus: a zone version, or its difference from an earlier one, travels as bounded {@code
 * ZoneContentChunk} messages of wire-format records on a content topic, and the version's manifest event carries a
 * {@code ContentLocation} pointing at them (house-style §6: no message over 1 MiB, no service reading another's
 * database, replay reproduces every retained version). Used only from the services' {@code pipeline} packages.
 */
package dev.cascade.content;
