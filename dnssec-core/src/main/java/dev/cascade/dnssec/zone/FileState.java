package dev.cascade.dnssec.zone;

import org.xbill.DNS.Name;

/**
 * What a zone file's directives and records so far leave in force for its next record (RFC 1035 §5.1): the origin
 * relative names complete, the {@code $TTL} (RFC 2308 §4), the last TTL stated and the last owner named. One per file:
 * an {@code $INCLUDE} does not change the including file's origin (RFC 1035 §5.1).
 */
final class FileState {
  Name origin;
  /** The {@code $TTL} in force, or -1 before any. */
  long defaultTtl;
  /** The last TTL a record stated, or -1 before any. */
  long lastTtl = -1;
  /** The last owner a record named, or null before any. */
  Name lastOwner;

  FileState(Name origin, long defaultTtl) {
    this.origin = origin;
    this.defaultTtl = defaultTtl;
  }
}
