/**
 * What the zone asks of its parent: the DS RRset the parent is to hold for the keys a roll marks "at the parent"
 * (RFC 4034 §5), and the CDS and CDNSKEY RRsets that signal it in the zone (RFC 7344), their delete forms included
 * (RFC 8078 §4). Pure: the records are built from the keys and the policy, with no clock or network.
 */
package dev.cascade.dnssec.parent;
