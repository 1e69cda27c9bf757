package dev.cascade.dnssec.verify;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Signatures a verification gate checked with public-key cryptography and found valid, each remembered by a 128-bit
 * SHA-256 prefix of everything the check covered: the key's RDATA, the signed data (RFC 4034 §3.1.8.1: the RRSIG RDATA
 * without the signature, then the RRset in canonical form) and the signature. Handed to the next gate run for the
 * same zone, it lets that run skip the public-key operation for a signature that verified before octet for octet;
 * the key's presence in the published key set, the validity window, the original TTL and the coverage of every
 * RRset are checked again each time. The gate owns this set: it never takes the signer's word for a signature.
 *
 * <p>An open-addressing table of the two halves of each digest: about 32 octets per signature.
 */
public final class VerifiedSignatures {

  private static final VerifiedSignatures NONE = new VerifiedSignatures(new long[0], new long[0], 0);

  private final long[] high;
  private final long[] low;
  private final int size;

  private VerifiedSignatures(long[] high, long[] low, int size) {
    this.high = high;
    this.low = low;
    this.size = size;
  }

  /** No signature known: every signature is verified. */
  public static VerifiedSignatures none() {
    return NONE;
  }

  /** The number of signatures remembered. */
  public int size() {
    return size;
  }

  /** Whether the digest {@code (hi, lo)} is in the set. */
  boolean contains(long hi, long lo) {
    if (size == 0) {
      return false;
    }
    int mask = high.length - 1;
    for (int i = slot(hi, mask); ; i = (i + 1) & mask) {
      if (high[i] == 0 && low[i] == 0) {
        return false;
      }
      if (high[i] == hi && low[i] == lo) {
        return true;
      }
    }
  }

  /**
   * The digest of one check, as two longs.
   *
   * @param keyRdata the DNSKEY's RDATA in wire form
   * @param signedData the data the signature covers
   * @param signature the signature octets
   */
  static long[] digest(byte[] keyRdata, byte[] signedData, byte[] signature) {
    MessageDigest sha256 = SHA256.get();
    sha256.update(keyRdata);
    sha256.update(signedData);
    sha256.update(signature);
    ByteBuffer hash = ByteBuffer.wrap(sha256.digest());
    return new long[] {hash.getLong(), hash.getLong()};
  }

  /** A set of the digests in {@code pairs}, which holds them as consecutive (high, low) longs. */
  static VerifiedSignatures of(long[] pairs, int count) {
    int capacity = Integer.highestOneBit(Math.max(4, count * 2 - 1)) << 1;
    long[] high = new long[capacity];
    long[] low = new long[capacity];
    int mask = capacity - 1;
    int size = 0;
    for (int p = 0; p < count; p++) {
      long hi = pairs[2 * p];
      long lo = pairs[2 * p + 1];
      if (hi == 0 && lo == 0) {
        continue;  // the empty-slot marker; a digest of all zeros is simply not remembered
      }
      int i = slot(hi, mask);
      while (!(high[i] == 0 && low[i] == 0) && !(high[i] == hi && low[i] == lo)) {
        i = (i + 1) & mask;
      }
      if (high[i] == 0 && low[i] == 0) {
        high[i] = hi;
        low[i] = lo;
        size++;
      }
    }
    return new VerifiedSignatures(high, low, size);
  }

  private static int slot(long hi, int mask) {
    return (int) (hi ^ (hi >>> 32)) & mask;
  }

  /** One SHA-256 per thread: the gate checks signatures in parallel. */
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is mandatory in every Java platform", e);
    }
  });
}
