/**
 * The OpenDNSSEC mapping on fixture files: kasp.xml (OpenDNSSEC 2.1's shipped template), zone lists, and key lists
 * captured from a real ods-enforcer 2.1.12 (a zone just signed, and the same zone during a ZSK roll).
 */
package dev.cascade.cli.opendnssec;
