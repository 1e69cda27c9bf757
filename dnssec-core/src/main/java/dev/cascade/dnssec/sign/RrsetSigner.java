package dev.cascade.dnssec.sign;

import dev.cascade.dnssec.keys.Algorithms;
import dev.cascade.dnssec.keys.CryptoProvider;
import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.dnssec.zone.CanonicalOrder;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Arrays;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Makes RRSIGs (RFC 4034 §3) without dnsjava's {@code DNSSEC.sign}, which looks up the JCA provider, converts
 * the key and re-encodes the RRset for every signature. One instance per thread: it keeps one initialised
 * {@link Signature} per key (a JCA {@code Signature} returns to its initialised state after {@code sign()}, so it is
 * reused for the next RRset) and one growing buffer for the signed data. ECDSA signatures are requested in the IEEE
 * P1363 / "PLAIN" r||s form that RFC 6605 §4 prescribes, so no DER conversion is needed.
 */
final class RrsetSigner {
  /** A key prepared once per signing run: provider-native private key, JCA algorithm name, fixed RRSIG fields. */
  record PreparedKey(SigningKey key, int algorithm, int keyTag, String provider, String jcaAlgorithm, PrivateKey privateKey) {
    static PreparedKey of(SigningKey key) {
      int alg = key.algorithm();
      // A key in a token is signed with by its token's provider; SunPKCS11 names the raw r||s form as ACCP does.
      String provider = key.provider() != null ? key.provider() : CryptoProvider.signingProvider(alg);
      boolean accp = !provider.equals(CryptoProvider.BC);
      String jca = switch (alg) {
        case Algorithms.RSASHA256 -> "SHA256withRSA";  // RFC 5702 §3
        case Algorithms.RSASHA512 -> "SHA512withRSA";  // RFC 5702 §3
        case Algorithms.ECDSAP256SHA256 -> accp ? "SHA256withECDSAinP1363Format" : "SHA256withPLAIN-ECDSA";
        case Algorithms.ECDSAP384SHA384 -> accp ? "SHA384withECDSAinP1363Format" : "SHA384withPLAIN-ECDSA";
        case Algorithms.ED25519 -> "Ed25519";  // RFC 8080 §4
        case Algorithms.ED448 -> "Ed448";
        default -> throw new IllegalArgumentException("unsupported DNSSEC algorithm " + alg);
      };
      return new PreparedKey(key, alg, key.keyTag(), provider, jca, key.privateKey());
    }

    /**
     * The private key re-created by the signing provider's own key factory, so the provider does not convert a
     * foreign key object on every initialisation; the key as given where the provider has no factory for it. Made
     * per thread: ACCP serialises the use of one native key object across threads.
     */
    private static PrivateKey nativeKey(PrivateKey key, int alg, String provider) {
      String family = switch (alg) {
        case Algorithms.RSASHA256, Algorithms.RSASHA512 -> "RSA";
        case Algorithms.ECDSAP256SHA256, Algorithms.ECDSAP384SHA384 -> "EC";
        default -> null;
      };
      if (family == null || key.getEncoded() == null) {
        return key;
      }
      try {
        return KeyFactory.getInstance(family, provider).generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
      } catch (GeneralSecurityException e) {
        return key;
      }
    }
  }

  private final PreparedKey[] keys;
  private final Signature[] signatures;
  private final Name signer;
  private final byte[] signerWire;
  private final Instant inception;
  private byte[] buf = new byte[4096];
  private int len;

  RrsetSigner(PreparedKey[] keys, Name signer, Instant inception) {
    this.keys = keys;
    this.signatures = new Signature[keys.length];
    this.signer = signer;
    this.signerWire = signer.toWireCanonical();
    this.inception = inception;
  }

  /**
   * Signs one RRset.
   *
   * @param rrs the RRset's records, without duplicates
   * @param from first index in {@code rrs}
   * @param to end index (exclusive)
   * @param keyIndex which prepared key signs
   * @param expiration the signature expiration (RFC 4034 §3.1.5); the inception is the run's
   */
  RRSIGRecord sign(Record[] rrs, int from, int to, int keyIndex, Instant expiration) {
    Record first = rrs[from];
    Name owner = first.getName();
    int type = first.getType();
    long ttl = first.getTTL();
    PreparedKey key = keys[keyIndex];
    // RFC 4034 §3.1.3: labels of the owner without the root and without a leading wildcard label.
    int labels = owner.labels() - 1 - (owner.isWild() ? 1 : 0);
    len = 0;
    // RFC 4034 §3.1.8.1: RRSIG RDATA without the signature, signer's name in canonical form ...
    putShort(type);
    putByte(key.algorithm());
    putByte(labels);
    putInt(ttl);
    putInt(expiration.getEpochSecond());
    putInt(inception.getEpochSecond());
    putShort(key.keyTag());
    put(signerWire);
    // ... then every RR in canonical form (owner lower case, RFC 4034 §6.2) and canonical order (§6.3).
    byte[] ownerWire = owner.toWireCanonical();
    for (byte[] rdata : canonicalRdata(rrs, from, to)) {
      put(ownerWire);
      putShort(type);
      putShort(DClass.IN);
      putInt(ttl);
      putShort(rdata.length);
      put(rdata);
    }
    try {
      Signature s = signatures[keyIndex];
      if (s == null) {
        s = Signature.getInstance(key.jcaAlgorithm(), key.provider());
        s.initSign(PreparedKey.nativeKey(key.privateKey(), key.algorithm(), key.provider()));
        signatures[keyIndex] = s;
      }
      s.update(buf, 0, len);
      byte[] signature = s.sign();
      return new RRSIGRecord(owner, DClass.IN, ttl, type, key.algorithm(), ttl, expiration, inception, key.keyTag(),
          signer, signature);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign " + owner + "/" + Type.string(type) + " with key " + key.keyTag()
          + " (" + key.provider() + "): " + e.getMessage(), e);
    }
  }

  /**
   * The RRset's canonical RDATA ({@link CanonicalOrder#rdata}) in canonical order. The records usually come in that
   * order already, but not always: an order made with dnsjava's own canonical form, which lower-cases the names of
   * some types that keep their case ({@link CanonicalOrder#rdata}), can differ from it.
   */
  private static byte[][] canonicalRdata(Record[] rrs, int from, int to) {
    byte[][] rdata = new byte[to - from][];
    boolean ordered = true;
    for (int i = 0; i < rdata.length; i++) {
      rdata[i] = CanonicalOrder.rdata(rrs[from + i]);
      ordered &= i == 0 || Arrays.compareUnsigned(rdata[i - 1], rdata[i]) <= 0;
    }
    if (!ordered) {
      Arrays.sort(rdata, Arrays::compareUnsigned);
    }
    return rdata;
  }

  private void ensure(int n) {
    if (len + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }
  }

  private void put(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, buf, len, b.length);
    len += b.length;
  }

  private void putByte(int v) {
    ensure(1);
    buf[len++] = (byte) v;
  }

  private void putShort(int v) {
    ensure(2);
    buf[len++] = (byte) (v >>> 8);
    buf[len++] = (byte) v;
  }

  /** A 32-bit field; RRSIG times are seconds modulo 2^32 (RFC 4034 §3.1.5). */
  private void putInt(long v) {
    ensure(4);
    buf[len++] = (byte) (v >>> 24);
    buf[len++] = (byte) (v >>> 16);
    buf[len++] = (byte) (v >>> 8);
    buf[len++] = (byte) v;
  }
}
