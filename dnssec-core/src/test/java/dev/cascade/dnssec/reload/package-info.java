/** Tests that a reload parsing only what changed gives what a full parse gives, and falls back when it cannot. */
package dev.cascade.dnssec.reload;
