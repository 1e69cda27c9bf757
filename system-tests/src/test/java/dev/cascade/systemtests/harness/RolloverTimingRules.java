package dev.cascade.systemtests.harness;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The RFC 7583 timing rules, checked over the sequence of zone versions a publication server served and the DS RRsets
 * the parent served, each with the instant it was first seen served. Keys are told apart by algorithm and key tag (the
 * keymanager keeps tags unique among a zone's keys, retired ones included). Three rules, each in the form a validator
 * needs (RFC 7583 §2, §3.2, §3.3):
 *
 * <ol>
 *   <li><b>Published before use.</b> Every RRset but the DNSKEY RRset carries a signature by a key that was in the
 *       DNSKEY RRset at least (DNSKEY TTL + propagation delay) earlier, or since the first version (a zone's first
 *       keys have no older DNSKEY RRset in any cache). A validator that still holds the previous DNSKEY RRset can
 *       then check one of the signatures. In a pre-publish ZSK roll the new ZSK signs alone, so this is "a new DNSKEY
 *       is published at least (DNSKEY TTL + propagation delay) before it is used to sign" (RFC 7583 §3.2.1); the
 *       DNSKEY RRset itself is left out, as its signatures travel with it (the double-signature KSK roll signs it
 *       with the new KSK at once, §3.3.1).</li>
 *   <li><b>Retired after its signatures expired.</b> When a key leaves the DNSKEY RRset, every RRset it signed in a
 *       version served less than (largest TTL of the zone + propagation delay) before also carries a signature by a
 *       key that stays. For the old ZSK of a pre-publish roll, the only signer of its RRsets, this is "a retired key
 *       stays in the DNSKEY RRset at least (max zone TTL + propagation delay) after its last signature left the zone"
 *       (§3.2.1, Iret).</li>
 *   <li><b>No key without its DS gone.</b> A key leaves the DNSKEY RRset only once every DS at the parent that points
 *       to it has been gone for at least (DS TTL + propagation delay), the parent's caches included (§3.3.1).</li>
 * </ol>
 *
 * <p>The test sees each version and DS RRset only when it polls, so each comes with a window: first served after
 * {@code notBefore} (when the previous poll still saw the one before) and by {@code servedFrom}. A wait is a breach
 * only if it is too short however the two events fall in their windows: from the earlier event's {@code notBefore}
 * to the later one's {@code servedFrom}. So a check never fails for the test's own slowness, and misses a breach
 * only if it is shorter than one polling window; {@link #margins} reports the waits as seen.
 */
public final class RolloverTimingRules {

  /**
   * The durations of the rules.
   *
   * @param propagationDelay time from a version's publication on the observed server to every other server: zero
   *     when the observed server is the only one
   */
  public record Timing(Duration dnskeyTtl, Duration maxZoneTtl, Duration dsTtl, Duration propagationDelay) {}

  /** A DNSKEY by algorithm and key tag (RFC 4034 Appendix B). */
  public record KeyId(int algorithm, int tag) {
    @Override
    public String toString() {
      return tag + "/" + algorithm;
    }
  }

  /** One served zone version: its SOA serial and every record, first served after {@code notBefore}. */
  public record Version(Instant notBefore, Instant servedFrom, long serial, List<Record> records) {}

  /** The DS RRset the parent served for the zone from {@code servedFrom} on (empty: no DS), not before the other. */
  public record ParentDs(Instant notBefore, Instant servedFrom, Set<KeyId> keys) {}

  private record RrsetId(Name owner, int type) {
    @Override
    public String toString() {
      return owner + " " + Type.string(type);
    }
  }

  /** The three rules, in the order of the class comment, as {@link #margins} names them. */
  private static final List<String> RULES = List.of(
      "published DNSKEY TTL + propagation delay before use",
      "retired largest zone TTL + propagation delay after its signatures",
      "removed DS TTL + propagation delay after its DS left the parent");

  private final Timing timing;
  private final List<Version> versions = new ArrayList<>();
  private final List<Set<KeyId>> dnskeys = new ArrayList<>();
  private final List<Map<RrsetId, Set<KeyId>>> signers = new ArrayList<>();
  private final List<ParentDs> parentDs = new ArrayList<>();

  public RolloverTimingRules(Timing timing) {
    this.timing = timing;
  }

  /** Adds the next version served; versions come in the order they were served. */
  public void served(Version version) {
    Set<KeyId> keys = new HashSet<>();
    Map<RrsetId, Set<KeyId>> signed = new HashMap<>();
    for (Record record : version.records()) {
      if (record instanceof DNSKEYRecord dnskey) {
        keys.add(new KeyId(dnskey.getAlgorithm(), dnskey.getFootprint()));
      } else if (record instanceof RRSIGRecord rrsig && rrsig.getTypeCovered() != Type.DNSKEY) {
        signed.computeIfAbsent(new RrsetId(rrsig.getName(), rrsig.getTypeCovered()), id -> new HashSet<>())
            .add(new KeyId(rrsig.getAlgorithm(), rrsig.getFootprint()));
      }
    }
    versions.add(version);
    dnskeys.add(keys);
    signers.add(signed);
  }

  /** Adds the DS RRset the parent serves from {@code servedFrom} on, and did not before {@code notBefore}. */
  public void parentServes(Instant notBefore, Instant servedFrom, List<DSRecord> ds) {
    parentDs.add(new ParentDs(notBefore, servedFrom,
        ds.stream().map(r -> new KeyId(r.getAlgorithm(), r.getFootprint())).collect(Collectors.toSet())));
  }

  public int versionCount() {
    return versions.size();
  }

  /** The keys with {@code flags} (256 ZSK, 257 KSK or CSK) that left the DNSKEY RRset so far. */
  public int removedKeys(int flags) {
    Set<KeyId> withFlags = new HashSet<>();
    for (Version version : versions) {
      version.records().stream()
          .filter(DNSKEYRecord.class::isInstance)
          .map(DNSKEYRecord.class::cast)
          .filter(dnskey -> dnskey.getFlags() == flags)
          .forEach(dnskey -> withFlags.add(new KeyId(dnskey.getAlgorithm(), dnskey.getFootprint())));
    }
    return (int) removals().keySet().stream().filter(withFlags::contains).count();
  }

  /** Every breach of the three rules in what was served so far; empty when the rolls kept to RFC 7583. */
  public List<String> violations() {
    return check().violations;
  }

  /**
   * Per rule, the smallest margin seen: how much longer than the rule asks the tightest case waited, as the test saw
   * the events, and over how many cases. Shows how close the run came to breaking each rule.
   */
  public String margins() {
    Findings findings = check();
    StringBuilder text = new StringBuilder();
    for (int rule = 0; rule < RULES.size(); rule++) {
      text.append("rule ").append(rule + 1).append(" (").append(RULES.get(rule)).append("): ")
          .append(findings.cases[rule] == 0 ? "no case"
              : "smallest margin " + findings.smallest[rule].toMillis() + " ms over " + findings.cases[rule]
                  + " cases")
          .append('\n');
    }
    return text.toString();
  }

  /** Per key, each version's instant: first published, and for each removed key the version that dropped it. */
  public String timeline() {
    Map<KeyId, Integer> published = firstPublished();
    Map<KeyId, Integer> removals = removals();
    StringBuilder text = new StringBuilder();
    published.forEach((key, first) -> text.append("key ").append(key)
        .append(" published ").append(describe(first))
        .append(removals.containsKey(key) ? ", removed " + describe(removals.get(key)) : "")
        .append('\n'));
    parentDs.forEach(ds -> text.append("parent DS ").append(ds.keys()).append(" from ").append(ds.servedFrom())
        .append('\n'));
    return text.toString();
  }

  /** What the rules found: the breaches, and per rule the cases checked and the smallest margin. */
  private final class Findings {
    private final List<String> violations = new ArrayList<>();
    private final int[] cases = new int[RULES.size()];
    private final Duration[] smallest = new Duration[RULES.size()];

    /**
     * One case of {@code rule}: the later event, seen at {@code laterSeen}, had to come at least {@code required}
     * after the earlier one, seen at {@code earlierSeen} and not before {@code earlierNotBefore}.
     */
    void add(int rule, Instant earlierNotBefore, Instant earlierSeen, Instant laterSeen, Duration required,
        Supplier<String> breach) {
      Duration margin = Duration.between(earlierSeen, laterSeen).minus(required);
      cases[rule]++;
      if (smallest[rule] == null || margin.compareTo(smallest[rule]) < 0) {
        smallest[rule] = margin;
      }
      if (Duration.between(earlierNotBefore, laterSeen).compareTo(required) < 0) {
        violations.add(breach.get());
      }
    }
  }

  private Findings check() {
    Findings findings = new Findings();
    publishedBeforeUse(findings);
    removals().forEach((key, removal) -> {
      retiredAfterSignaturesExpired(key, removal, findings);
      removedAfterDsExpired(key, removal, findings);
    });
    return findings;
  }

  /** Rule 1: each RRset's best-published signer, unless it was there from the first version. */
  private void publishedBeforeUse(Findings findings) {
    Map<KeyId, Integer> published = firstPublished();
    Duration required = timing.dnskeyTtl().plus(timing.propagationDelay());
    for (int v = 0; v < versions.size(); v++) {
      Instant at = versions.get(v).servedFrom();
      int version = v;
      for (Map.Entry<RrsetId, Set<KeyId>> rrset : signers.get(v).entrySet()) {
        if (rrset.getValue().stream().anyMatch(key -> Integer.valueOf(0).equals(published.get(key)))) {
          continue;
        }
        // The signer published longest before; a key never published counts as published now.
        Version earliest = rrset.getValue().stream()
            .filter(published::containsKey)
            .map(key -> versions.get(published.get(key)))
            .min(Comparator.comparing(Version::servedFrom))
            .orElse(versions.get(v));
        findings.add(0, earliest.notBefore(), earliest.servedFrom(), at, required, () -> "serial "
            + versions.get(version).serial() + ": " + rrset.getKey() + " is signed only by " + rrset.getValue()
            + ", none published " + required + " or more before (published: " + rrset.getValue().stream()
                .map(key -> key + " " + (published.containsKey(key) ? describe(published.get(key)) : "never"))
                .toList() + ")");
      }
    }
  }

  /**
   * Rule 2, for {@code key} that version {@code removal} dropped: each earlier version with an RRset that {@code key}
   * signed and no key that stays did, against the time that version was replaced.
   */
  private void retiredAfterSignaturesExpired(KeyId key, int removal, Findings findings) {
    Instant removedAt = versions.get(removal).servedFrom();
    Duration required = timing.maxZoneTtl().plus(timing.propagationDelay());
    Set<KeyId> staying = dnskeys.get(removal);
    for (int v = 0; v < removal; v++) {
      Instant replacedAt = versions.get(v + 1).servedFrom();
      int version = v;
      signers.get(v).entrySet().stream()
          .filter(rrset -> rrset.getValue().contains(key) && rrset.getValue().stream().noneMatch(staying::contains))
          .findFirst()
          .ifPresent(rrset -> findings.add(1, versions.get(version + 1).notBefore(), replacedAt, removedAt, required,
              () -> "serial " + versions.get(removal).serial() + " drops " + key + " at " + removedAt + ", but "
                  + rrset.getKey() + " as signed by " + rrset.getValue() + " in serial "
                  + versions.get(version).serial() + " was served until " + replacedAt + ", less than " + required
                  + " before"));
    }
  }

  /** Rule 3, for {@code key} that version {@code removal} dropped: each DS RRset at the parent that pointed to it. */
  private void removedAfterDsExpired(KeyId key, int removal, Findings findings) {
    Instant removedAt = versions.get(removal).servedFrom();
    Duration required = timing.dsTtl().plus(timing.propagationDelay());
    for (int i = 0; i < parentDs.size(); i++) {
      ParentDs ds = parentDs.get(i);
      if (!ds.keys().contains(key) || !ds.servedFrom().isBefore(removedAt)) {
        continue;
      }
      ParentDs next = i + 1 < parentDs.size() ? parentDs.get(i + 1) : null;
      Instant goneAt = next == null ? null : next.servedFrom();
      // Still at the parent: as if it left just now.
      findings.add(2, next == null ? removedAt : next.notBefore(), next == null ? removedAt : goneAt, removedAt,
          required, () -> "serial " + versions.get(removal).serial() + " drops " + key + " at "
          + removedAt + " while the parent's DS RRset " + ds.keys() + " (from " + ds.servedFrom() + ") points to it"
          + (goneAt == null ? "" : " until " + goneAt + ", less than " + required + " before"));
    }
  }

  /** The index of the version where each key first appears in the DNSKEY RRset. */
  private Map<KeyId, Integer> firstPublished() {
    Map<KeyId, Integer> first = new LinkedHashMap<>();
    for (int v = 0; v < versions.size(); v++) {
      for (KeyId key : dnskeys.get(v)) {
        first.putIfAbsent(key, v);
      }
    }
    return first;
  }

  /** The index of the first version without each key that an earlier version published. */
  private Map<KeyId, Integer> removals() {
    Map<KeyId, Integer> removed = new LinkedHashMap<>();
    for (int v = 1; v < versions.size(); v++) {
      for (KeyId key : dnskeys.get(v - 1)) {
        if (!dnskeys.get(v).contains(key)) {
          removed.putIfAbsent(key, v);
        }
      }
    }
    return removed;
  }

  private String describe(int version) {
    return "serial " + versions.get(version).serial() + " at " + versions.get(version).servedFrom();
  }
}
