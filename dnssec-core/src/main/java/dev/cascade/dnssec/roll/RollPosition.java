package dev.cascade.dnssec.roll;

import dev.cascade.dnssec.keys.SigningRole;
import java.time.Instant;

/**
 * Where a key stands in a roll that another key manager began and Cascade takes over ({@code cascade migrate
 * opendnssec}): one the roll brings in or one it takes out, and what the key does in the zone now.
 * {@link KeySetState#resume} finds the phase these facts belong to.
 *
 * @param arriving brought in by the roll ({@code new}); taken out ({@code old}) otherwise
 * @param published in the zone's DNSKEY RRset
 * @param signsKeys signs the DNSKEY RRset
 * @param signsZone signs the other RRsets
 * @param atParent its DS is at the parent, or on its way there
 */
public record RollPosition(boolean arriving, boolean published, boolean signsKeys, boolean signsZone,
    boolean atParent) {

  /** {@code new} or {@code old}, as the API and the event name the part. */
  public String part() {
    return arriving ? "new" : "old";
  }

  /**
   * A position from its part's word.
   *
   * @throws IllegalArgumentException if {@code part} is neither {@code new} nor {@code old}
   */
  public static RollPosition of(String part, boolean published, boolean signsKeys, boolean signsZone,
      boolean atParent) {
    if (!"new".equals(part) && !"old".equals(part)) {
      throw new IllegalArgumentException("a key's part in a roll is new or old, not '" + part + "'");
    }
    return new RollPosition("new".equals(part), published, signsKeys, signsZone, atParent);
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
