package dev.cascade.dnssec.roll;

import dev.cascade.dnssec.keys.KeyUse;
import dev.cascade.dnssec.keys.SigningRole;
import java.time.Instant;
import java.util.Objects;

/**
 * One key of a zone as its rolls see it: what it does now. A key takes part in the zone by four independent facts,
 * which a roll switches one phase at a time (RFC 7583 §3.1,
 * the key states: published, active, retired, removed):
 *
 * @param id the key manager's reference to the key
 * @param role KSK, ZSK or CSK
 * @param algorithm DNSSEC algorithm number (RFC 4034 §2.1.3)
 * @param keyTag RFC 4034 Appendix B
 * @param createdAt when the key was made: its validity counts from here
 * @param published in the zone's DNSKEY RRset
 * @param signsKeys signs the DNSKEY RRset (and CDS, CDNSKEY): a KSK's or CSK's job
 * @param signsZone signs every other RRset: a ZSK's or CSK's job
 * @param atParent its DS is to be at the parent (and its CDS and CDNSKEY, RFC 7344, offered while that changes)
 */
public record KeyState(
    String id,
    SigningRole role,
    int algorithm,
    int keyTag,
    Instant createdAt,
    boolean published,
    boolean signsKeys,
    boolean signsZone,
    boolean atParent) {

  public KeyState {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(createdAt, "createdAt");
    if (signsKeys && role == SigningRole.ZSK || signsZone && role == SigningRole.KSK
        || atParent && role == SigningRole.ZSK) {
      throw new IllegalArgumentException("a " + role + " cannot do that: " + id);
    }
  }

  /** A key that is not yet in the zone in any way: what a roll starts from. */
  public static KeyState created(String id, SigningRole role, int algorithm, int keyTag, Instant createdAt) {
    return new KeyState(id, role, algorithm, keyTag, createdAt, false, false, false, false);
  }

  /** A key doing all its role's jobs: the keys of a zone signed for the first time. */
  public static KeyState active(String id, SigningRole role, int algorithm, int keyTag, Instant createdAt) {
    return created(id, role, algorithm, keyTag, createdAt)
        .with(Effect.PUBLISH).with(Effect.SIGN_KEYS).with(Effect.SIGN_ZONE).with(Effect.ADD_DS);
  }

  /** What the key does in a signed zone, as the signer takes it ({@code atParent} is the parent's business). */
  public KeyUse use() {
    return new KeyUse(published, signsKeys, signsZone);
  }

  /** True if the key no longer does anything in the zone: it may leave the key set. */
  public boolean inert() {
    return !published && !signsKeys && !signsZone && !atParent;
  }

  /** The key after {@code effect}, as far as its role allows it (a ZSK is never at the parent, for one). */
  KeyState with(Effect effect) {
    boolean sep = role != SigningRole.ZSK;
    boolean zone = role != SigningRole.KSK;
    return switch (effect) {
      case PUBLISH -> copy(true, signsKeys, signsZone, atParent);
      case WITHDRAW -> copy(false, signsKeys, signsZone, atParent);
      case SIGN_KEYS -> copy(published, sep, signsZone, atParent);
      case STOP_SIGNING_KEYS -> copy(published, false, signsZone, atParent);
      case SIGN_ZONE -> copy(published, signsKeys, zone, atParent);
      case STOP_SIGNING_ZONE -> copy(published, signsKeys, false, atParent);
      case ADD_DS -> copy(published, signsKeys, signsZone, sep);
      case REMOVE_DS -> copy(published, signsKeys, signsZone, false);
    };
  }

  private KeyState copy(boolean published, boolean signsKeys, boolean signsZone, boolean atParent) {
    return new KeyState(id, role, algorithm, keyTag, createdAt, published, signsKeys, signsZone, atParent);
  }
}
