/** Tests of keys in a PKCS#11 token, against a real SoftHSM2 token. */
package dev.cascade.dnssec.pkcs11;
