/**
 * What the loader decides about one zone file, in plain Java: parse and check it with dnssec-core, and tell a new
 * version from an unchanged one by its content digest. No Kafka or database code here, so every rule is unit-tested.
 */
package dev.cascade.loader.domain;
