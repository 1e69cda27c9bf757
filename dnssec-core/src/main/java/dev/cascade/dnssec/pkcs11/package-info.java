/**
 * DNSSEC keys kept in a PKCS#11 token (an HSM, or SoftHSM2 in tests) through the JDK's SunPKCS11 provider: key pairs
 * generated inside the token, found again by RFC 7512 URIs, and signed with inside the token, so the private key
 * never leaves it.
 */
package dev.cascade.dnssec.pkcs11;
