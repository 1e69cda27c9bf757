/**
 * {@code cascade migrate opendnssec}: reads an OpenDNSSEC 2.x installation (conf.xml, kasp.xml, zonelist.xml and the
 * enforcer's key list) and maps it to Cascade policies, zones and keys taken over in place. The mapping is pure
 * (files and command output in, policy text, zones, keys and warning lines out); the command alone runs
 * {@code ods-enforcer} and talks to the operator API.
 */
package dev.cascade.cli.opendnssec;
