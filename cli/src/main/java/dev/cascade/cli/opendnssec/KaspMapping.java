package dev.cascade.cli.opendnssec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps the policies of OpenDNSSEC's {@code kasp.xml} (OpenDNSSEC 2.x, schema {@code kasp.rnc}) to Cascade policy
 * files (docs/operations.md, the policy table). Every setting of the KASP either maps to a policy key or becomes a
 * warning line: nothing is dropped silently.
 *
 * <p>What maps: the key algorithm and size (one algorithm per Cascade policy, so a ZSK of another size than the KSK is
 * a warning), the KSK, ZSK and CSK lifetimes (key validity), the DNSKEY TTL, the signature validity, refresh, resign
 * interval and inception offset, NSEC or NSEC3 with its iterations and opt-out, the SOA serial scheme and the
 * repository (as {@code hsm-server-id}, the token's label: Cascade's default server id).
 */
public final class KaspMapping {

  /**
   * One mapped policy: its name, the policy file's text, and what did not map; {@code refusal} non-null when Cascade
   * would refuse the policy (then neither it nor its zones are migrated).
   */
  public record MappedPolicy(String name, String toml, List<String> warnings, String refusal) {}

  private KaspMapping() {}

  /**
   * Maps every {@code <Policy>} of the file.
   *
   * @param tokenLabels the {@code <TokenLabel>} of each {@code <Repository>} of conf.xml, by repository name
   * @throws IllegalArgumentException naming the file and the policy when a policy has no key algorithm Cascade can
   *     sign with
   */
  public static List<MappedPolicy> map(Xml kasp, Map<String, String> tokenLabels) {
    if (!kasp.root().name().equals("KASP")) {
      throw new IllegalArgumentException(kasp.file() + ": not a KASP file (root element <" + kasp.root().name()
          + ">, expected <KASP>)");
    }
    List<MappedPolicy> result = new ArrayList<>();
    for (Xml.Element policy : kasp.root().children("Policy")) {
      result.add(mapPolicy(policy, tokenLabels));
    }
    return result;
  }

  private static MappedPolicy mapPolicy(Xml.Element p, Map<String, String> tokenLabels) {
    String name = p.attribute("name");
    List<String> warnings = new ArrayList<>();
    Map<String, Map<String, String>> tables = new LinkedHashMap<>();
    table(tables, "").put("version", quote("v1"));

    Xml.Element keys = p.required("Keys");
    Xml.Element ksk = keys.child("KSK");
    Xml.Element zsk = keys.child("ZSK");
    Xml.Element csk = keys.child("CSK");
    Xml.Element first = csk != null ? csk : ksk;
    if (first == null || (csk == null && zsk == null)) {
      throw new IllegalArgumentException("policy " + name + ": needs a <CSK>, or a <KSK> and a <ZSK>");
    }
    Map<String, String> keyManager = table(tables, "key-manager");
    Map<String, String> generation = table(tables, "key-manager.generation");
    String algorithm = algorithm(name, first.required("Algorithm"));
    generation.put("algorithm", quote(algorithm));
    generation.put("use-csk", String.valueOf(csk != null));
    if (csk != null && (ksk != null || zsk != null)) {
      warnings.add(name + ": <CSK> beside <KSK>/<ZSK>: Cascade uses the CSK only");
    }
    if (csk == null) {
      String zskAlgorithm = algorithm(name, zsk.required("Algorithm"));
      if (!zskAlgorithm.equals(algorithm)) {
        warnings.add(name + ": ZSK algorithm " + zskAlgorithm + " differs from the KSK's; a Cascade policy has one "
            + "algorithm, " + algorithm + ": keys generated from now on use it");
      }
    }
    List<Xml.Element> roles = new ArrayList<>();
    if (csk != null) {
      roles.add(csk);
    } else {
      roles.add(ksk);
      roles.add(zsk);
    }
    String repository = null;
    for (Xml.Element role : roles) {
      String r = role.name().toLowerCase(Locale.ROOT);
      Xml.Element lifetime = role.child("Lifetime");
      if (lifetime != null) {
        keyManager.put(r + ".validity", quote(Iso8601.toPolicyDuration(lifetime.text())));
      }
      if (role.child("ManualRollover") != null) {
        warnings.add(name + ": " + role.name() + " <ManualRollover/>: not mapped; Cascade rolls when the validity "
            + "ends, use `cascade keyset <zone> " + r + " start-roll` for a roll by hand");
      }
      if (role.child("Standby") != null) {
        warnings.add(name + ": " + role.name() + " <Standby>: not mapped; Cascade keeps no standby keys");
      }
      if (role.child("RFC5011") != null) {
        warnings.add(name + ": " + role.name() + " <RFC5011/>: not mapped; Cascade has no RFC 5011 hold-down timers");
      }
      String repo = role.text("Repository");
      if (repository == null) {
        repository = repo;
      } else if (repo != null && !repo.equals(repository)) {
        warnings.add(name + ": " + role.name() + " repository " + repo + " differs from " + repository
            + "; a Cascade policy names one token");
      }
    }
    if (repository != null) {
      String label = tokenLabels.get(repository);
      if (label == null) {
        warnings.add(name + ": repository " + repository + " is not in conf.xml; hsm-server-id set to its name");
        label = repository;
      }
      // cascade.pkcs11.server-id defaults to the token label (docs/operations.md, PKCS#11), so the label names it.
      generation.put("hsm-server-id", quote(label));
    }
    Map<String, String> records = table(tables, "key-manager.records");
    keyTtl(keys, records);
    warnUnmapped(warnings, name, keys, "RetireSafety", "PublishSafety", "Purge", "ShareKeys");

    Xml.Element signatures = p.required("Signatures");
    Map<String, String> signer = table(tables, "signer");
    Xml.Element zone = p.child("Zone");
    if (zone != null && zone.child("SOA") != null) {
      String serial = zone.child("SOA").text("Serial");
      if (serial != null) {
        signer.put("serial-policy", quote(serial(name, serial, warnings)));
      }
    }
    String inception = signatures.text("InceptionOffset");
    if (inception != null) {
      signer.put("signature-inception-offset", quote(Iso8601.toPolicyDuration(inception)));
    }
    Xml.Element validity = signatures.required("Validity");
    String lifetime = validity.required("Default").text();
    signer.put("signature-lifetime", quote(Iso8601.toPolicyDuration(lifetime)));
    String denialValidity = validity.text("Denial");
    if (denialValidity != null && !Iso8601.parse(denialValidity).equals(Iso8601.parse(lifetime))) {
      warnings.add(name + ": <Validity><Denial> " + denialValidity + " differs from <Default> " + lifetime
          + "; Cascade gives NSEC/NSEC3 signatures the signature lifetime too");
    }
    // ODS <Refresh>: a signature is made anew when it expires within this time, which is Cascade's remain time;
    // <Resign>: how often the signer runs over the zone, Cascade's refresh interval (OpenDNSSEC kasp.xml docs).
    String refresh = signatures.text("Refresh");
    if (refresh != null) {
      signer.put("signature-remain-time", quote(Iso8601.toPolicyDuration(refresh)));
    }
    String resign = signatures.text("Resign");
    if (resign != null) {
      signer.put("signature-refresh-interval", quote(Iso8601.toPolicyDuration(resign)));
    }
    warnUnmapped(warnings, name, signatures, "Jitter", "MaxZoneTTL");

    Map<String, String> denial = table(tables, "signer.denial");
    Xml.Element denialElement = p.required("Denial");
    Xml.Element nsec3 = denialElement.child("NSEC3");
    if (nsec3 == null) {
      denial.put("type", quote("nsec"));
    } else {
      denial.put("type", quote("nsec3"));
      denial.put("opt-out", String.valueOf(nsec3.child("OptOut") != null));
      Xml.Element hash = nsec3.child("Hash");
      if (hash != null) {
        String iterations = hash.text("Iterations");
        if (iterations != null) {
          denial.put("iterations", iterations.trim());
        }
        Xml.Element salt = hash.child("Salt");
        if (salt != null && !"0".equals(salt.attribute("length"))) {
          warnings.add(name + ": NSEC3 salt of length " + salt.attribute("length") + ", resalted every "
              + nsec3.text("Resalt") + ": Cascade keeps a fixed salt and uses none (RFC 9276 §3.1); the NSEC3 chain "
              + "is made anew at the first signing");
        }
      }
      warnUnmapped(warnings, name, nsec3, "TTL");
    }

    if (zone != null) {
      warnUnmapped(warnings, name, zone, "PropagationDelay");
      Xml.Element soa = zone.child("SOA");
      if (soa != null) {
        warnUnmapped(warnings, name + " SOA", soa, "TTL", "Minimum");
      }
    }
    Xml.Element parent = p.child("Parent");
    if (parent != null) {
      warnings.add(name + ": <Parent> (propagation delay, DS TTL, parent SOA): not mapped; Cascade checks the "
          + "parent's DS itself (key-manager parent-nameservers)");
    }
    return new MappedPolicy(name, render(name, p.text("Description"), tables), List.copyOf(warnings),
        refusal(name, lifetime, refresh, resign));
  }

  /**
   * The reference Cascade's rule, which review-gateway's policy parser applies: a signature must outlive its remain
   * time, one hour of propagation and one refresh interval. OpenDNSSEC has no such rule (its {@code lab} template
   * breaks it), and changing signature times unasked could let signatures expire, so such a policy is refused.
   */
  private static String refusal(String name, String lifetime, String refresh, String resign) {
    Duration remain = refresh == null ? Duration.ZERO : Iso8601.parse(refresh);
    Duration interval = resign == null ? Duration.ZERO : Iso8601.parse(resign);
    if (Iso8601.parse(lifetime).compareTo(remain.plusHours(1).plus(interval)) <= 0) {
      return "policy " + name + ": signature validity " + lifetime + " is not above <Refresh> " + refresh
          + " + 1h + <Resign> " + resign + ", which Cascade requires (signatures could expire between two "
          + "signings); raise <Validity><Default> or lower <Refresh> in kasp.xml, or write the policy by hand";
    }
    return null;
  }

  private static void keyTtl(Xml.Element keys, Map<String, String> records) {
    String ttl = keys.text("TTL");
    if (ttl != null) {
      records.put("ttl", quote(Iso8601.toPolicyDuration(ttl)));
    }
  }

  private static void warnUnmapped(List<String> warnings, String policy, Xml.Element parent, String... names) {
    for (String n : names) {
      Xml.Element e = parent.child(n);
      if (e != null) {
        String value = e.text().isBlank() ? "" : " " + e.text().trim();
        warnings.add(policy + ": <" + n + ">" + value + ": not mapped, Cascade has no such setting");
      }
    }
  }

  /** Algorithm numbers: IANA DNS Security Algorithm Numbers; sizes in bits as kasp.xml's {@code length}. */
  private static String algorithm(String policy, Xml.Element a) {
    int number;
    try {
      number = Integer.parseInt(a.text().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("policy " + policy + ": algorithm '" + a.text() + "' is not a number", e);
    }
    String length = a.attribute("length");
    return switch (number) {
      case 8 -> "RSASHA256" + (length == null ? "" : ":" + length);
      case 10 -> "RSASHA512" + (length == null ? "" : ":" + length);
      case 13 -> "ECDSAP256SHA256";
      case 14 -> "ECDSAP384SHA384";
      case 15 -> "ED25519";
      case 16 -> "ED448";
      default -> throw new IllegalArgumentException("policy " + policy + ": algorithm " + number
          + " cannot be signed with by Cascade (RSASHA256, RSASHA512, ECDSAP256SHA256, ECDSAP384SHA384, ED25519, "
          + "ED448)");
    };
  }

  /** kasp.rnc's serial schemes to Cascade's {@code serial-policy}. */
  private static String serial(String policy, String ods, List<String> warnings) {
    return switch (ods.trim()) {
      case "unixtime" -> "unix-time";
      case "counter" -> "counter";
      case "datecounter" -> "date-counter";
      case "keep" -> "keep";
      default -> {
        warnings.add(policy + ": SOA serial '" + ods + "' unknown; serial-policy left at Cascade's default");
        yield "unix-time";
      }
    };
  }

  private static Map<String, String> table(Map<String, Map<String, String>> tables, String name) {
    return tables.computeIfAbsent(name, n -> new LinkedHashMap<>());
  }

  private static String render(String name, String description, Map<String, Map<String, String>> tables) {
    StringBuilder b = new StringBuilder();
    b.append("# Policy ").append(name).append(" migrated from OpenDNSSEC by `cascade migrate opendnssec`.\n");
    if (description != null && !description.isBlank()) {
      b.append("# ").append(description.trim().replaceAll("\\s+", " ")).append('\n');
    }
    for (Map.Entry<String, Map<String, String>> t : tables.entrySet()) {
      if (t.getValue().isEmpty()) {
        continue;
      }
      if (!t.getKey().isEmpty()) {
        b.append("\n[").append(t.getKey()).append("]\n");
      }
      t.getValue().forEach((k, v) -> b.append(k).append(" = ").append(v).append('\n'));
    }
    return b.toString();
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** xsd:duration values as kasp.xml writes them ({@code PT3600S}, {@code P14D}, {@code P1Y}). */
  static final class Iso8601 {
    private static final Pattern FORM = Pattern.compile(
        "P(?:(\\d+)Y)?(?:(\\d+)M)?(?:(\\d+)W)?(?:(\\d+)D)?(?:T(?:(\\d+)H)?(?:(\\d+)M)?(?:(\\d+)S)?)?");

    private Iso8601() {}

    /**
     * Parses the value. A year counts 365 days and a month 31 days, as OpenDNSSEC's duration code counts them
     * (common/duration.c, duration2time), so a lifetime means the same span in both.
     */
    static Duration parse(String text) {
      Matcher m = FORM.matcher(text.trim());
      if (!m.matches() || text.trim().equals("P") || text.trim().endsWith("T")) {
        throw new IllegalArgumentException("'" + text + "' is not an xsd:duration such as PT3600S or P14D");
      }
      long[] unit = {365 * 86400L, 31 * 86400L, 7 * 86400L, 86400L, 3600L, 60L, 1L};
      long seconds = 0;
      for (int i = 0; i < unit.length; i++) {
        if (m.group(i + 1) != null) {
          seconds += Long.parseLong(m.group(i + 1)) * unit[i];
        }
      }
      return Duration.ofSeconds(seconds);
    }

    /** The policy file's shortest exact form ({@code 2w}, {@code 36h}, {@code 90s}), as review-gateway prints. */
    static String toPolicyDuration(String text) {
      long s = parse(text).getSeconds();
      long[] unit = {7 * 86400L, 86400L, 3600L, 60L};
      String[] word = {"w", "d", "h", "m"};
      for (int i = 0; i < unit.length; i++) {
        if (s != 0 && s % unit[i] == 0) {
          return s / unit[i] + word[i];
        }
      }
      return s + "s";
    }
  }
}
