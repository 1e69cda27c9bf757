package dev.cascade.keymanager.persistence;

import dev.cascade.dnssec.parent.CdsPublication;
import dev.cascade.dnssec.parent.DsDigest;
import dev.cascade.dnssec.roll.RollType.Variant;
import dev.cascade.dnssec.roll.RollType;
import dev.cascade.keymanager.domain.KeyPolicy;
import dev.cascade.keymanager.domain.ParentPolicy;
import dev.cascade.keymanager.domain.PropagationSettings;
import dev.cascade.keymanager.domain.RollAutomation;
import dev.cascade.keymanager.domain.RollSettings;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The key settings of a zone's policy, from its ZoneAdded or the last ZoneReloadRequested that carried a policy: what
 * the roll timer needs of a zone long after the event that brought it.
 */
@Entity
@Table(name = "zone_policy")
public class StoredZonePolicy extends PanacheEntityBase {

  /** Apex, lower case, absolute. */
  @Id
  @Column(name = "zone", nullable = false)
  public String zone;

  @Column(name = "policy_name", nullable = false)
  public String policyName;

  /** RFC 8624 mnemonic. */
  @Column(name = "algorithm", nullable = false, length = 32)
  public String algorithm;

  @Column(name = "use_csk", nullable = false)
  public boolean useCsk;

  /** 0 for forever, as all three validities. */
  @Column(name = "ksk_validity_seconds", nullable = false)
  public long kskValiditySeconds;

  @Column(name = "zsk_validity_seconds", nullable = false)
  public long zskValiditySeconds;

  @Column(name = "csk_validity_seconds", nullable = false)
  public long cskValiditySeconds;

  @Column(name = "dnskey_ttl_seconds", nullable = false)
  public long dnskeyTtlSeconds;

  /** A dnssec-core {@link RollType} name. */
  @Column(name = "ksk_roll_type", nullable = false, length = 32)
  public String kskRollType;

  @Column(name = "zsk_roll_type", nullable = false, length = 32)
  public String zskRollType;

  /** {@link #automation(RollAutomation)} of {@code ksk.auto-*}. */
  @Column(name = "ksk_automation", nullable = false, length = 4)
  public String kskAutomation;

  @Column(name = "zsk_automation", nullable = false, length = 4)
  public String zskAutomation;

  @Column(name = "csk_automation", nullable = false, length = 4)
  public String cskAutomation;

  @Column(name = "algorithm_automation", nullable = false, length = 4)
  public String algorithmAutomation;

  /** {@code [key-manager.records] cds}, a dnssec-core {@link CdsPublication} word. */
  @Column(name = "cds_publication", nullable = false, length = 11)
  public String cdsPublication;

  /** {@code [key-manager] ds-algorithm}, a dnssec-core {@link DsDigest} word. */
  @Column(name = "ds_algorithm", nullable = false, length = 7)
  public String dsAlgorithm;

  /** {@code [key-manager] ds-submit-hook}; null for none. */
  @Column(name = "ds_submit_hook", length = 4096)
  public String dsSubmitHook;

  /**
   * What the zone asks of its parent.
   *
   * @throws IllegalArgumentException for an unknown publication or digest
   */
  public ParentPolicy parentPolicy() {
    return new ParentPolicy(CdsPublication.fromWord(cdsPublication), DsDigest.fromWord(dsAlgorithm), dsSubmitHook);
  }

  /** {@code publication-nameservers}, {@code "<IP>[:PORT]"} each, space-separated; empty for the default. */
  @Column(name = "publication_nameservers", nullable = false, length = 2048)
  public String publicationNameservers;

  /** {@code parent-nameservers}, as {@link #publicationNameservers}; empty to find them by resolution. */
  @Column(name = "parent_nameservers", nullable = false, length = 2048)
  public String parentNameservers;

  /** {@code [key-manager.generation] hsm-server-id}; null for software keys. */
  @Column(name = "hsm_server_id", length = 255)
  public String hsmServerId;

  /** {@code [key-manager] auto-remove}. */
  @Column(name = "auto_remove", nullable = false)
  public boolean autoRemove;

  /** {@code [key-manager] auto-remove-delay}. */
  @Column(name = "auto_remove_delay_seconds", nullable = false)
  public long autoRemoveDelaySeconds;

  /** How long after it left the key set a key is removed; empty when the policy keeps keys ({@code auto-remove}). */
  public Optional<Duration> autoRemoveDelay() {
    return autoRemove ? Optional.of(Duration.ofSeconds(autoRemoveDelaySeconds)) : Optional.empty();
  }

  /**
   * The policy the key manager acts on.
   *
   * @throws IllegalArgumentException for an unknown algorithm or roll type, or one of the wrong variant, a name
   *     server that is not an address or an unknown DS digest
   */
  public KeyPolicy keyPolicy() {
    RollSettings rolls = new RollSettings(RollType.valueOf(kskRollType), RollType.valueOf(zskRollType), Map.of(
        Variant.KSK, automation(kskAutomation), Variant.ZSK, automation(zskAutomation),
        Variant.CSK, automation(cskAutomation), Variant.ALGORITHM, automation(algorithmAutomation)));
    return KeyPolicy.of(algorithm, useCsk, kskValiditySeconds, zskValiditySeconds, cskValiditySeconds,
        dnskeyTtlSeconds, rolls).withPropagation(PropagationSettings.of(
            servers(publicationNameservers), servers(parentNameservers), DsDigest.fromWord(dsAlgorithm)))
        .withHsm(hsmServerId);
  }

  /** The name servers of a policy list, as the column keeps them. */
  public static String servers(List<String> servers) {
    return String.join(" ", servers);
  }

  private static List<String> servers(String column) {
    return column.isBlank() ? List.of() : List.of(column.trim().split(" +"));
  }

  /** Four letters, one per switch, {@code s r e d} when on and {@code -} when off: {@code sred} is all automatic. */
  public static String automation(RollAutomation automation) {
    return (automation.start() ? "s" : "-") + (automation.report() ? "r" : "-") + (automation.expire() ? "e" : "-")
        + (automation.done() ? "d" : "-");
  }

  static RollAutomation automation(String letters) {
    if (!letters.matches("[s-][r-][e-][d-]")) {
      throw new IllegalArgumentException("not a roll automation: " + letters);
    }
    return new RollAutomation(letters.charAt(0) == 's', letters.charAt(1) == 'r', letters.charAt(2) == 'e',
        letters.charAt(3) == 'd');
  }
}
