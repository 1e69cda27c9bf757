package dev.cascade.reviewgateway.domain;

import dev.cascade.dnssec.keys.SigningRole;
import dev.cascade.dnssec.parent.DelegationRecords;
import dev.cascade.dnssec.parent.DsDigest;
import dev.cascade.dnssec.roll.KeyRoll;
import dev.cascade.dnssec.roll.KeySetState;
import dev.cascade.dnssec.roll.KeyState;
import dev.cascade.dnssec.roll.Propagation;
import dev.cascade.dnssec.roll.RollStep;
import dev.cascade.dnssec.roll.RollStepException;
import dev.cascade.dnssec.roll.RollType.Variant;
import dev.cascade.dnssec.roll.RollType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * The operator's keyset commands ({@code cascade keyset <zone> ...}) against a zone's key set as the gateway last saw
 * it (KeySetChanged, {@link ZoneState#keys} and {@link ZoneState#rolls}): each is checked with dnssec-core's state
 * machine before it goes to the key manager, so a step out of order is refused at once with the state machine's own
 * words. The key manager checks again when it applies the command: the key set may have moved on in between.
 *
 * <p>Bad input throws {@link IllegalArgumentException} (HTTP 400); a command the key set does not allow throws {@link
 * RollStepException} (HTTP 409).
 */
public final class KeysetCommands {

  /** The records {@code cascade keyset <zone> get} gives. */
  public enum ParentRecord { DS, DNSKEY, CDS }

  /**
   * A roll step as the key manager is to take it.
   *
   * @param variant ksk, zsk, csk or algorithm
   * @param step the step's name, as the reference's CLI spells it
   * @param ttlSeconds the TTL a {@code propagationN-complete} reports; null for the other steps
   */
  public record Step(String variant, String step, Long ttlSeconds) {

    /** The command as the operator gave it, for history: {@code zsk propagation1-complete 3600}. */
    public String wording() {
      return variant + " " + step + (ttlSeconds == null ? "" : " " + ttlSeconds);
    }
  }

  private static final String START_ROLL = "start-roll";

  private KeysetCommands() {}

  /**
   * Checks a roll step against the zone's key set at {@code now}.
   *
   * @param ttl the TTL of a {@code propagationN-complete}: seconds, or a duration as the policy spells them
   *     ({@link Durations}); null for the other steps
   */
  public static Step rollStep(ZoneState zone, String variantWord, String step, String ttl, Instant now)
      throws RollStepException {
    if (variantWord == null || step == null) {
      throw new IllegalArgumentException("variant and step are required");
    }
    Variant variant = variant(variantWord);
    Long ttlSeconds = ttl == null || ttl.isBlank() ? null : ttlSeconds(ttl);
    KeySetState keys = keySet(zone);
    if (step.equals(START_ROLL)) {
      if (ttlSeconds != null) {
        throw new IllegalArgumentException(START_ROLL + " takes no TTL");
      }
      keys.checkStart(variant);
    } else {
      keys.apply(variant, RollStep.parse(step, ttlSeconds), now);
    }
    return new Step(variant.word(), step, ttlSeconds);
  }

  /**
   * Checks the removal of {@code key} (its reference, {@code db:keymanager/<uuid>}, or its key tag if no other key of
   * the zone has it) and gives the key's reference.
   */
  public static String removal(ZoneState zone, String key, boolean force, boolean continueRoll)
      throws RollStepException {
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException("key is required: its reference (db:keymanager/<uuid>) or its key tag");
    }
    String reference = reference(zone, key.trim());
    keySet(zone).remove(reference, force, continueRoll);
    return reference;
  }

  /**
   * The zone's {@code type} records in zone-file text, from the announced public keys: the DNSKEY RRset as
   * published; the DS RRset (the policy's {@code ds-algorithm}) of the keys whose DS is to be at the parent now,
   * and the same as CDS. While a roll waits for the DS RRset at the parent to change, a comment line says so.
   */
  public static String records(ZoneState zone, ParentRecord type) {
    Name origin;
    try {
      origin = Name.fromString(zone.name);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("zone " + zone.name + " is not a domain name", e);
    }
    long ttl = zone.dnskeyTtl == null ? 0 : zone.dnskeyTtl;
    List<DelegationRecords.PublicKey> keys = zone.keys.stream()
        .filter(key -> type == ParentRecord.DNSKEY ? use(key).published() : use(key).atParent())
        .map(key -> {
          if (key.publicKey() == null) {
            throw new IllegalArgumentException("the public key of key " + key.reference() + " is not known yet: it"
                + " shows once the key manager announces the zone's key set again");
          }
          return new DelegationRecords.PublicKey(key.flags(), key.algorithm(), key.publicKey());
        })
        .toList();
    String text = switch (type) {
      case DNSKEY -> DelegationRecords.dnskeys(origin, ttl, keys);
      case DS -> DelegationRecords.ds(origin, ttl, digest(zone), keys);
      case CDS -> DelegationRecords.cds(origin, ttl, digest(zone), keys);
    };
    StringBuilder out = new StringBuilder();
    if (type != ParentRecord.DNSKEY) {
      for (KeyRoll roll : keySet(zone).rolls()) {
        if (roll.propagates().contains(Propagation.DS)) {
          out.append("; the ").append(roll.type().variant().word())
              .append(" roll waits for this DS RRset at the parent (").append(roll.nextStep())
              .append(" once it is there)\n");
        }
      }
    }
    return out.append(text).toString();
  }

  /** The zone's key set as dnssec-core's state machine has it: keys by reference, rolls naming them so. */
  static KeySetState keySet(ZoneState zone) {
    List<KeyState> keys = new ArrayList<>();
    for (ZoneState.KeyInfo key : zone.keys) {
      ZoneState.KeyUse use = use(key);
      keys.add(new KeyState(key.reference(), SigningRole.valueOf(key.role()), key.algorithm(), key.keyTag(),
          key.createdAt(), use.published(), use.signsKeys(), use.signsZone(), use.atParent()));
    }
    List<KeyRoll> rolls = zone.rolls.stream().map(roll -> new KeyRoll(RollType.valueOf(roll.rollType()),
        references(zone, roll.newKeys()), references(zone, roll.oldKeys()), roll.phase(),
        KeyRoll.Stage.valueOf(roll.stage()), roll.since(), Duration.ofSeconds(roll.ttlSeconds()))).toList();
    return new KeySetState(keys, rolls);
  }

  /** A key announced without its use (before key rolls) does all its role's jobs. */
  /** The zone's policy's {@code ds-algorithm}; the reference's SHA-256 before the policy is known. */
  private static DsDigest digest(ZoneState zone) {
    return zone.policy == null ? DsDigest.SHA_256 : zone.policy.parent().dsAlgorithm();
  }

  private static ZoneState.KeyUse use(ZoneState.KeyInfo key) {
    if (key.use() != null) {
      return key.use();
    }
    boolean sep = !key.role().equals(SigningRole.ZSK.name());
    boolean signsZone = !key.role().equals(SigningRole.KSK.name());
    return new ZoneState.KeyUse(true, sep, signsZone, sep);
  }

  /** The references of the keys with {@code tags}: a roll names its keys by tag in the projection. */
  private static List<String> references(ZoneState zone, List<Integer> tags) {
    return tags.stream().map(tag -> zone.keys.stream().filter(key -> key.keyTag() == tag).findFirst()
        .map(ZoneState.KeyInfo::reference).orElse("tag " + tag)).toList();
  }

  private static String reference(ZoneState zone, String key) {
    if (!key.chars().allMatch(Character::isDigit)) {
      return zone.keys.stream().map(ZoneState.KeyInfo::reference).filter(key::equals).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("zone " + zone.name + " has no key " + key));
    }
    int tag;
    try {
      tag = Integer.parseInt(key);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + key + "' is not a key tag", e);
    }
    List<String> tagged = zone.keys.stream().filter(k -> k.keyTag() == tag).map(ZoneState.KeyInfo::reference).toList();
    if (tagged.isEmpty()) {
      throw new IllegalArgumentException("zone " + zone.name + " has no key with tag " + tag);
    }
    if (tagged.size() > 1) {
      throw new IllegalArgumentException("key tag " + tag + " is not unique in zone " + zone.name
          + "; name the key by its reference: " + String.join(", ", tagged));
    }
    return tagged.get(0);
  }

  private static Variant variant(String word) {
    try {
      return Variant.valueOf(word.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown roll '" + word + "': expected ksk, zsk, csk or algorithm", e);
    }
  }

  private static long ttlSeconds(String ttl) {
    String text = ttl.trim();
    if (text.chars().allMatch(Character::isDigit)) {
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("TTL " + text + " is too large", e);
      }
    }
    return Durations.parse(text).toSeconds();
  }

  /** The parent record type a {@code get} names: ds, dnskey or cds. */
  public static Optional<ParentRecord> parentRecord(String word) {
    for (ParentRecord type : ParentRecord.values()) {
      if (type.name().equalsIgnoreCase(word)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
