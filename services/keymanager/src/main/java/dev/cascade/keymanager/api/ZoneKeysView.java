package dev.cascade.keymanager.api;

import java.time.Instant;
import java.util.List;

/**
 * JSON body of {@code GET /keys/{zone}}.
 *
 * @param rolls the key rolls in progress
 * @param overdue the keys past their validity that go on signing because their roll does not start by itself
 */
public record ZoneKeysView(String zone, List<Key> keys, List<Roll> rolls, List<Overdue> overdue) {

  /**
   * The public facts of one key.
   *
   * @param algorithm RFC 8624 mnemonic, e.g. ECDSAP256SHA256
   * @param state {@code active} while in the zone's key set, {@code retired} after the zone was removed or a roll
   *     took the key out, {@code removed} once its private key was destroyed (auto-remove), {@code public-only} for
   *     a key imported without its private half, published and never signing
   * @param published in the zone's DNSKEY RRset
   * @param signsKeys signs the DNSKEY RRset
   * @param signsZone signs every other RRset
   * @param atParent its DS is to be at the parent
   * @param dnskey the DNSKEY record in presentation format
   */
  public record Key(
      int keyTag,
      String role,
      String algorithm,
      int algorithmNumber,
      int flags,
      String state,
      boolean published,
      boolean signsKeys,
      boolean signsZone,
      boolean atParent,
      Instant createdAt,
      Instant expiresAt,
      Instant retiredAt,
      String reference,
      String dnskey) {}

  /**
   * A roll in progress.
   *
   * @param variant {@code ksk}, {@code zsk}, {@code csk} or {@code algorithm}
   * @param rollType dnssec-core RollType name, e.g. ZSK_PRE_PUBLISH
   * @param newKeys key tags of the keys it brings in
   * @param oldKeys key tags of the keys it takes out
   * @param nextStep the step it waits for, as the operator gives it
   * @param waitingFor what it waits for, in the reference's wording
   * @param propagationCheck in the propagation stage, the latest check this instance made of it; null if none
   */
  public record Roll(
      String variant,
      String rollType,
      List<Integer> newKeys,
      List<Integer> oldKeys,
      int phase,
      String stage,
      Instant since,
      String nextStep,
      String waitingFor,
      PropagationCheck propagationCheck) {}

  /**
   * What the latest propagation check of a roll ({@code auto-report}) saw.
   *
   * @param propagated every server concerned served the phase's changes
   * @param summary what was seen where, or why the roll waits
   * @param expected what must have propagated, one line each (DNSKEY and DS records, the zone's signers)
   * @param checkedAt when
   */
  public record PropagationCheck(boolean propagated, String summary, List<String> expected, Instant checkedAt) {}

  /**
   * A key past its validity that goes on signing.
   *
   * @param reason why no roll takes it out
   */
  public record Overdue(int keyTag, String role, Instant expiredAt, String reason) {}
}
