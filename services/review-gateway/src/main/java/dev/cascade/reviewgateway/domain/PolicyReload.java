package dev.cascade.reviewgateway.domain;

import dev.cascade.dnssec.sign.SigningPolicy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code cascade policy reload}: what changed in the policy directory since the last reload, and which zones get new
 * settings, with the reference's report (cascade-reference.md §3.1: {@code - <name> added|removed|updated|unchanged}
 * and {@code WARNING:} lines) and its rules (§4): a file that no longer parses keeps the zones on their last
 * settings, and a policy that zones use is not removed.
 *
 * <p>Unlike the reference, a zone's settings are compared with its own copy ({@link ZoneState#policy}), not only the
 * policy's previous version: a zone whose copy differs from the file gets the file's settings even when the file did
 * not change since the last reload (a zone added before a file was edited back, say).
 */
public final class PolicyReload {

  /** How a policy changed, in the reference's words. */
  public enum Change {
    ADDED, REMOVED, UPDATED, UNCHANGED;

    /** The word the reference prints. */
    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** A zone that takes {@code policy} from its next version on. */
  public record ZoneUpdate(String zone, String source, Policy policy) {}

  /**
   * What a reload found.
   *
   * @param changes every policy, by name, with how it changed
   * @param warnings what the operator should know: unusable files, removed policies still in use, NSEC3 parameters
   *     RFC 9276 advises against
   * @param updates the zones that get new settings
   * @param known the digest of every policy known after the reload, to compare the next reload with
   */
  public record Outcome(
      SortedMap<String, Change> changes, List<String> warnings, List<ZoneUpdate> updates, Map<String, String> known) {

    public Outcome {
      changes = new TreeMap<>(changes);
      warnings = List.copyOf(warnings);
      updates = List.copyOf(updates);
      known = Map.copyOf(known);
    }
  }

  private PolicyReload() {}

  /**
   * Compares the policy directory with what the last reload knew and with each zone's copy.
   *
   * @param files the usable policy files, by name
   * @param errors why the other files are not usable, one message each
   * @param unusable the names of the policies whose file exists but is not usable
   * @param known the digest ({@link #digest}) of every policy the last reload knew, by name
   * @param zones every zone of the projection; only registered ones count
   */
  public static Outcome of(Map<String, Policy> files, List<String> errors, Set<String> unusable,
      Map<String, String> known, List<ZoneState> zones) {
    TreeMap<String, Change> changes = new TreeMap<>();
    List<String> warnings = new ArrayList<>(errors);
    List<ZoneUpdate> updates = new ArrayList<>();
    TreeMap<String, String> nowKnown = new TreeMap<>();
    TreeMap<String, List<String>> users = new TreeMap<>();
    for (ZoneState zone : zones) {
      if (zone.registered() && zone.policy != null) {
        users.computeIfAbsent(zone.policy.name(), n -> new ArrayList<>()).add(zone.name);
        Policy file = files.get(zone.policy.name());
        if (file != null && !file.equals(zone.policy)) {
          updates.add(new ZoneUpdate(zone.name, zone.source, file));
        }
      }
    }
    Set<String> updatedForZones = new TreeSet<>();
    updates.forEach(u -> updatedForZones.add(u.policy().name()));
    files.forEach((name, policy) -> {
      if (policy.denial() == DenialType.NSEC3) {
        SigningPolicy.nsec3Advice(policy.nsec3Iterations(), policy.nsec3Salt().length() / 2)
            .ifPresent(advice -> warnings.add("policy '" + name + "': " + advice));
      }
      String digest = digest(policy);
      nowKnown.put(name, digest);
      String before = known.get(name);
      changes.put(name, before == null ? Change.ADDED
          : !before.equals(digest) || updatedForZones.contains(name) ? Change.UPDATED : Change.UNCHANGED);
    });
    TreeSet<String> gone = new TreeSet<>(known.keySet());
    gone.addAll(users.keySet());
    gone.removeAll(files.keySet());
    for (String name : gone) {
      List<String> usedBy = users.getOrDefault(name, List.of());
      if (unusable.contains(name)) {
        // The reference keeps the old copy when a reload fails; here the zones keep theirs.
        changes.put(name, Change.UNCHANGED);
        if (known.containsKey(name)) {
          nowKnown.put(name, known.get(name));
        }
        if (!usedBy.isEmpty()) {
          warnings.add("policy '" + name + "' is not usable, so " + String.join(", ", usedBy)
              + " keep their settings");
        }
      } else if (!usedBy.isEmpty()) {
        changes.put(name, Change.UNCHANGED);
        if (known.containsKey(name)) {
          nowKnown.put(name, known.get(name));
        }
        warnings.add("policy '" + name + "' has no file any more but is used by " + String.join(", ", usedBy)
            + ", which keep their settings; give them another policy with 'cascade zone set-policy'");
      } else {
        changes.put(name, Change.REMOVED);
      }
    }
    return new Outcome(changes, warnings, updates, nowKnown);
  }

  /** A digest of every setting of {@code policy}: equal digests, equal settings. */
  public static String digest(Policy policy) {
    try {
      // A record's toString names every component with its value, nested records included.
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(policy.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is a mandatory JCA algorithm", e);
    }
  }
}
