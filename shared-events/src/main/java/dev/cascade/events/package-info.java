/**
 * Event contracts shared by every service: the topic catalogue here, the Avro records (generated from
 * {@code src/main/avro}) in {@code dev.cascade.events.v1}.
 */
package dev.cascade.events;
