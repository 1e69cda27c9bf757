package dev.cascade.dnssec.pkcs11;

import dev.cascade.dnssec.keys.Algorithms;
import dev.cascade.dnssec.keys.CryptoProvider;
import dev.cascade.dnssec.keys.KeyAlgorithm;
import dev.cascade.dnssec.keys.KeyGenerator;
import dev.cascade.dnssec.keys.KeyUse;
import dev.cascade.dnssec.keys.SigningKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;

/**
 * A PKCS#11 token, logged in through its own SunPKCS11 provider instance, that generates DNSSEC key pairs inside
 * itself and gives back keys that sign inside it.
 *
 * <p>A generated private key is a token object, sensitive and not extractable (CKA_TOKEN, CKA_SENSITIVE true,
 * CKA_EXTRACTABLE false), with a CKA_ID made from its public key; its URI ({@link Pkcs11Uri}) names the token and
 * that id. SunPKCS11's key store lists only private keys that have a certificate with the same CKA_ID, so each key
 * gets a self-signed holder certificate, signed in the token, whose subject names the zone and key: it is never used
 * for anything but finding the key. The public key object is a session object: the DNSKEY record and the
 * certificate carry the public key.
 *
 * <p>Signing spreads over threads by itself: every {@link Signature} made from the token's provider takes a session
 * from SunPKCS11's pool for each signature, so one signer per thread ({@code ZoneSigner}'s {@code RrsetSigner}) is
 * one PKCS#11 session per thread.
 *
 * <p>Only the algorithms PKCS#11 tokens commonly sign are accepted: RSASHA256, RSASHA512 (CKM_SHA256_RSA_PKCS,
 * CKM_SHA512_RSA_PKCS) and ECDSAP256SHA256, ECDSAP384SHA384 (CKM_ECDSA over the digest, raw r||s as RFC 6605 §4
 * wants). SunPKCS11 on Java 17 has no EdDSA.
 */
public final class Pkcs11Token {
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final Pkcs11Config config;
  private final Provider provider;

  private Pkcs11Token(Pkcs11Config config, Provider provider) {
    this.config = config;
    this.provider = provider;
  }

  /**
   * Loads the module, selects the slot and logs in with the PIN. The provider is appended to the JCA list (never put
   * first), under a name of its own for every token opened.
   *
   * @throws IllegalArgumentException naming the module and slot when the module does not load, the slot has no
   *     token or the PIN is refused; never with the PIN
   */
  public static Pkcs11Token open(Pkcs11Config config) {
    if (!Files.isReadable(config.library())) {
      throw new IllegalArgumentException("PKCS#11 module " + config.library() + " does not exist or is not readable");
    }
    String name = "cascade-" + config.tokenLabel().replaceAll("[^A-Za-z0-9]", "_") + "-" + INSTANCES.incrementAndGet();
    String slot = config.slot() != null ? "slot = " + config.slot() : "slotListIndex = " + config.slotListIndex();
    // The generation attributes: the private key a sensitive, unextractable token object; the public key a session
    // object (attribute names as in SunPKCS11's configuration reference, JDK PKCS#11 Reference Guide).
    String text = "--name = " + name + "\n"
        + "library = " + config.library() + "\n"
        + slot + "\n"
        + "attributes(generate, CKO_PRIVATE_KEY, *) = {\n"
        + "  CKA_TOKEN = true\n  CKA_PRIVATE = true\n  CKA_SENSITIVE = true\n  CKA_EXTRACTABLE = false\n}\n"
        + "attributes(generate, CKO_PUBLIC_KEY, *) = {\n  CKA_TOKEN = false\n}\n";
    Provider provider;
    try {
      provider = Security.getProvider("SunPKCS11").configure(text);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("cannot use PKCS#11 module " + config.library() + " at " + slot + ": "
          + e.getMessage() + (e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")"), e);
    }
    Pkcs11Token token = new Pkcs11Token(config, provider);
    token.keyStore();
    Security.addProvider(provider);
    return token;
  }

  /** The JCA provider name that signs with this token's keys ({@link SigningKey#provider()}). */
  public String providerName() {
    return provider.getName();
  }

  /** The token's label, as the URIs of its keys carry it. */
  public String tokenLabel() {
    return config.tokenLabel();
  }

  /**
   * Generates a key pair inside the token. Its CKA_ID is made from its public key ({@link #uriOf}), so whoever has
   * the DNSKEY record and the token's label can name the private key.
   *
   * @param zone the apex owning the key
   * @param algorithm RSASHA256, RSASHA512 (with the modulus length) or ECDSAP256SHA256, ECDSAP384SHA384
   * @param flags {@link KeyGenerator#FLAGS_SEP} or {@link KeyGenerator#FLAGS_ZSK}
   * @param ttl the DNSKEY TTL
   * @throws IllegalArgumentException for an algorithm the token cannot hold or bad flags
   * @throws IllegalStateException if the token fails
   */
  public SigningKey generate(Name zone, KeyAlgorithm algorithm, int flags, long ttl) {
    if (flags != KeyGenerator.FLAGS_SEP && flags != KeyGenerator.FLAGS_ZSK) {
      throw new IllegalArgumentException("flags must be 257 (KSK/CSK) or 256 (ZSK), not " + flags);
    }
    int alg = algorithm.number();
    AlgorithmParameterSpec spec = switch (alg) {
      // Public exponent 65537 (F4), as every DNSSEC signer uses (and KeyGenerator).
      case Algorithms.RSASHA256, Algorithms.RSASHA512 ->
          new RSAKeyGenParameterSpec(algorithm.modulusBits(), BigInteger.valueOf(65537));
      case Algorithms.ECDSAP256SHA256 -> new ECGenParameterSpec("secp256r1");  // RFC 6605 §2
      case Algorithms.ECDSAP384SHA384 -> new ECGenParameterSpec("secp384r1");  // RFC 6605 §2
      default -> throw new IllegalArgumentException("a PKCS#11 token here holds RSASHA256, RSASHA512, ECDSAP256SHA256 "
          + "and ECDSAP384SHA384 keys, not " + Algorithms.mnemonic(alg));
    };
    String family = spec instanceof ECGenParameterSpec ? "EC" : "RSA";
    try {
      KeyStore store = keyStore();
      KeyPairGenerator generator = KeyPairGenerator.getInstance(family, provider);
      generator.initialize(spec);
      KeyPair pair = generator.generateKeyPair();
      // The public key as a plain JCA object, so dnsjava encodes it the same way as a software key's.
      PublicKey publicKey = KeyFactory.getInstance(family, CryptoProvider.bouncyCastle())
          .generatePublic(new X509EncodedKeySpec(pair.getPublic().getEncoded()));
      DNSKEYRecord dnskey =
          new DNSKEYRecord(zone, DClass.IN, ttl, flags, DNSKEYRecord.Protocol.DNSSEC, alg, publicKey);
      Certificate holder = holderCertificate(pair, publicKey, family, dnskey);
      store.setKeyEntry(idOf(dnskey), pair.getPrivate(), null, new Certificate[] {holder});
      return new SigningKey(dnskey, pair.getPrivate(), null, provider.getName());
    } catch (GeneralSecurityException | IOException | DNSSEC.DNSSECException e) {
      throw new IllegalStateException("token " + config.tokenLabel() + " cannot generate a "
          + Algorithms.mnemonic(alg) + " key: " + e.getMessage(), e);
    }
  }

  /** The URI of the private key of {@code dnskey} in this token, if this token generated it. */
  public Pkcs11Uri uriOf(DNSKEYRecord dnskey) {
    return new Pkcs11Uri(config.tokenLabel(), idOf(dnskey).getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * A key's CKA_ID: {@code cascade-} and the first 128 bits of SHA-256 over the algorithm and public key fields of
   * its DNSKEY (RFC 4034 §2.1.3, §2.1.4), in hex; printable, so {@code pkcs11-tool -O} shows it, and unique per key
   * pair with no registry of ids.
   */
  private static String idOf(DNSKEYRecord dnskey) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update((byte) dnskey.getAlgorithm());
      return "cascade-" + HexFormat.of().formatHex(sha256.digest(dnskey.getKey()), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is a required JCA algorithm", e);
    }
  }

  /**
   * The key {@code uri} names, to sign with inside the token, checked against the public key the DNSKEY record
   * announces: a URI that points to another key must not make the zone's signatures fail validation.
   *
   * @param use the key's use in the zone, as for a software key
   * @throws IllegalArgumentException naming the URI when it is for another token, the token has no such key, or the
   *     key is not the DNSKEY's
   */
  public SigningKey find(Pkcs11Uri uri, DNSKEYRecord dnskey, KeyUse use) {
    if (!uri.token().equals(config.tokenLabel())) {
      throw new IllegalArgumentException("key " + uri + " is in token " + uri.token() + ", but the configured token is "
          + config.tokenLabel());
    }
    String alias = aliasOf(uri.id());
    try {
      KeyStore store = keyStore();
      Key key = store.getKey(alias, null);
      Certificate holder = store.getCertificate(alias);
      if (!(key instanceof PrivateKey privateKey) || holder == null) {
        throw new IllegalArgumentException("token " + config.tokenLabel() + " has no private key " + uri);
      }
      PublicKey publicKey = holder.getPublicKey();
      DNSKEYRecord held = new DNSKEYRecord(dnskey.getName(), DClass.IN, dnskey.getTTL(), dnskey.getFlags(),
          dnskey.getProtocol(), dnskey.getAlgorithm(), publicKey);
      if (!Arrays.equals(held.getKey(), dnskey.getKey())) {
        throw new IllegalArgumentException("key " + uri + " is not the private key of DNSKEY " + dnskey.getFootprint()
            + " of " + dnskey.getName());
      }
      return new SigningKey(dnskey, privateKey, use, provider.getName());
    } catch (GeneralSecurityException | DNSSEC.DNSSECException e) {
      throw new IllegalArgumentException("cannot read key " + uri + " from token " + config.tokenLabel() + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * Destroys the key {@code uri} names and its holder certificate, for a key that has left its zone for good.
   *
   * @return false if the token had no such key
   */
  public boolean delete(Pkcs11Uri uri) {
    String alias = aliasOf(uri.id());
    try {
      KeyStore store = keyStore();
      if (!uri.token().equals(config.tokenLabel()) || !store.containsAlias(alias)) {
        return false;
      }
      store.deleteEntry(alias);
      return true;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot delete key " + uri + " from token " + config.tokenLabel() + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * The token's key store, read afresh: another process (the key manager, for the signer) may have added keys since.
   * Loading it logs in with the PIN; the PIN is in no message.
   */
  private KeyStore keyStore() {
    char[] pin = config.pin();
    try {
      KeyStore store = KeyStore.getInstance("PKCS11", provider);
      store.load(null, pin);
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("cannot log in to PKCS#11 token " + config.tokenLabel() + " ("
          + config.library() + "): " + e.getMessage(), e);
    } finally {
      Arrays.fill(pin, '\0');
    }
  }

  /**
   * A self-signed X.509 certificate (RFC 5280) for the key, signed in the token: subject and issuer name the zone,
   * algorithm and key tag (as a common name), valid from 1970 to 9999 (RFC 5280 §4.1.2.5: no well-defined expiry).
   */
  private Certificate holderCertificate(KeyPair pair, PublicKey publicKey, String family, DNSKEYRecord dnskey)
      throws GeneralSecurityException, IOException {
    return certificate(publicKey, dnskey, pair.getPrivate(), family.equals("RSA"), provider);
  }

  /**
   * The key store alias of the key with CKA_ID {@code id}: SunPKCS11 names a key by its holder certificate's
   * CKA_LABEL. Cascade's own ids are printable and are their own label; a key another signer made (OpenDNSSEC's ids
   * are 16 random octets) gets its id in lowercase hex as the label ({@link #adoptionCertificate}), the form
   * OpenDNSSEC gives it as CKA_LABEL and as its locator.
   */
  static String aliasOf(byte[] id) {
    for (byte b : id) {
      if (b < 0x20 || b > 0x7e) {
        return HexFormat.of().formatHex(id);
      }
    }
    return new String(id, StandardCharsets.US_ASCII);
  }

  /**
   * A holder certificate (DER) for a private key that is in the token already but was made by another signer, to be
   * stored beside it with the key's CKA_ID and CKA_LABEL {@link #aliasOf}{@code (id)}: without one SunPKCS11's key
   * store does not list the key. The key cannot sign its own certificate, since the key store cannot reach it yet, so
   * a one-off software key signs it; nothing ever verifies the signature (the certificate only finds the key, and
   * {@link #find} checks the public key it carries against the DNSKEY record).
   *
   * @throws IllegalArgumentException for a DNSKEY of an algorithm the token cannot hold
   */
  public static byte[] adoptionCertificate(DNSKEYRecord dnskey) {
    int alg = dnskey.getAlgorithm();
    if (alg != Algorithms.RSASHA256 && alg != Algorithms.RSASHA512 && alg != Algorithms.ECDSAP256SHA256
        && alg != Algorithms.ECDSAP384SHA384) {
      throw new IllegalArgumentException("a PKCS#11 token here holds RSASHA256, RSASHA512, ECDSAP256SHA256 and "
          + "ECDSAP384SHA384 keys, not " + Algorithms.mnemonic(alg));
    }
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", CryptoProvider.bouncyCastle());
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair oneOff = generator.generateKeyPair();
      return certificate(dnskey.getPublicKey(), dnskey, oneOff.getPrivate(), false,
          Security.getProvider(CryptoProvider.bouncyCastle()))
          .getEncoded();
    } catch (GeneralSecurityException | IOException | DNSSEC.DNSSECException e) {
      throw new IllegalArgumentException("cannot make a holder certificate for DNSKEY " + dnskey.getFootprint()
          + " of " + dnskey.getName() + ": " + e.getMessage(), e);
    }
  }

  private static Certificate certificate(PublicKey publicKey, DNSKEYRecord dnskey, PrivateKey signingKey, boolean rsa,
      Provider provider) throws GeneralSecurityException, IOException {
    // sha256WithRSAEncryption (RFC 4055 §5, NULL parameters) or ecdsa-with-SHA256 (RFC 5758 §3.2, no parameters).
    AlgorithmIdentifier signatureAlgorithm = rsa
        ? new AlgorithmIdentifier(new ASN1ObjectIdentifier("1.2.840.113549.1.1.11"), DERNull.INSTANCE)
        : new AlgorithmIdentifier(new ASN1ObjectIdentifier("1.2.840.10045.4.3.2"));
    X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, dnskey.getName() + " "
        + Algorithms.mnemonic(dnskey.getAlgorithm()) + " " + dnskey.getFootprint()).build();
    V3TBSCertificateGenerator tbs = new V3TBSCertificateGenerator();
    tbs.setSerialNumber(new ASN1Integer(1));
    tbs.setSignature(signatureAlgorithm);
    tbs.setIssuer(name);
    tbs.setSubject(name);
    tbs.setStartDate(new Time(new Date(0)));
    tbs.setEndDate(new Time(new Date(253402300799000L)));  // 99991231235959Z, RFC 5280 §4.1.2.5
    tbs.setSubjectPublicKeyInfo(SubjectPublicKeyInfo.getInstance(publicKey.getEncoded()));
    TBSCertificate certificate = tbs.generateTBSCertificate();
    Signature signer = Signature.getInstance(rsa ? "SHA256withRSA" : "SHA256withECDSA", provider);
    signer.initSign(signingKey);
    signer.update(certificate.getEncoded(ASN1Encoding.DER));
    byte[] der = new DERSequence(new ASN1Encodable[] {certificate, signatureAlgorithm,
        new DERBitString(signer.sign())}).getEncoded(ASN1Encoding.DER);
    return CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
  }
}
