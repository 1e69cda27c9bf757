package dev.cascade.dnssec.zone;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.xbill.DNS.Record;

/**
 * A flat digest of records: SHA-384 over the canonical wire form (RFC 4034 §6.2) of each record, in the given
 * (canonical) order. It checks a difference's records on the content topics, and was the digest of whole versions
 * before {@code CompactRecords#digest} (a tree of SHA-256 runs that a small change updates cheaply), so versions
 * written then are still checked by it.
 */
public final class ZoneDigest {
  private final MessageDigest digest;

  private ZoneDigest() {
    try {
      digest = MessageDigest.getInstance("SHA-384");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-384 is mandatory in every Java platform", e);
    }
  }

  /** Lower-case hex SHA-384 of the records' canonical wire forms, concatenated in iteration order. */
  public static String sha384(Iterable<Record> canonicalRecords) {
    ZoneDigest digest = start();
    for (Record r : canonicalRecords) {
      digest.add(r);
    }
    return digest.hex();
  }

  /** A digest to feed record by record, for a version too large to hold as a list. */
  public static ZoneDigest start() {
    return new ZoneDigest();
  }

  /** Adds the next record in canonical order. */
  public void add(Record record) {
    digest.update(record.toWireCanonical());
  }

  /** Adds the next record in canonical order, given as its canonical wire form {@code wire[offset, offset + length)}. */
  public void add(byte[] wire, int offset, int length) {
    digest.update(wire, offset, length);
  }

  /** Lower-case hex of the digest of the records added; the digest must not be used afterwards. */
  public String hex() {
    return HexFormat.of().formatHex(digest.digest());
  }
}
