/**
 * Reloading a zone file by parsing only the parts of its text that changed since its last load, with the result of a
 * full parse (issue 8).
 */
package dev.cascade.dnssec.reload;
