/** Tests of the records a zone's parent holds or is shown: DS, CDS and CDNSKEY, checked against BIND's tools. */
package dev.cascade.dnssec.parent;
