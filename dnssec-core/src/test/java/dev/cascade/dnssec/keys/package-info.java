/**
 * Tests of key generation for every supported algorithm, key wrapping, algorithm mnemonics and the
 * provider choice; of BIND key files, including the ECDSA scalars BIND writes without their leading zero octets;
 * and of ECDSA keys with a zero first octet in the private scalar or a public coordinate, on every path a key takes.
 */
package dev.cascade.dnssec.keys;
