package dev.cascade.dnssec.roll;

import dev.cascade.dnssec.keys.SigningRole;
import java.time.Instant;

/**
 * Where a key stands in a roll that another key manager began and Cascade takes over ({@code cascade migrate
 * opendnssec}): one the roll brings in or one it takes out, and what the key does in the zone now.
 * {@link KeySetState#resume} finds the phase these facts belong to.
 *
 * @param part {@code new}: the roll brings the key in; {@code old}: the roll takes it out
 * @param published in the zone's DNSKEY RRset
 * @param signsKeys signs the DNSKEY RRset
 * @param signsZone signs the other RRsets
 * @param atParent its DS is at the parent, or on its way there
 */
public record RollPosition(String part, boolean published, boolean signsKeys, boolean signsZone, boolean atParent) {

  /** @throws IllegalArgumentException if {@code part} is neither {@code new} nor {@code old} */
  public RollPosition {
    if (!"new".equals(part) && !"old".equals(part)) {
      throw new IllegalArgumentException("a key's part in a roll is new or old, not '" + part + "'");
    }
  }

  /** Brought in by the roll. */
  public boolean arriving() {
    return "new".equals(part);
  }

  /**
   * The key in this position.
   *
   * @throws IllegalArgumentException if the role cannot do what the position says (a ZSK signing the DNSKEY RRset)
   */
  public KeyState state(String id, SigningRole role, int algorithm, int keyTag, Instant createdAt) {
    return new KeyState(id, role, algorithm, keyTag, createdAt, published, signsKeys, signsZone, atParent);
  }
}
