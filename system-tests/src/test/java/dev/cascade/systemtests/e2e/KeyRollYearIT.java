package dev.cascade.systemtests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.systemtests.harness.Cli;
import dev.cascade.systemtests.harness.Dns;
import dev.cascade.systemtests.harness.ExternalTool;
import dev.cascade.systemtests.harness.Operator;
import dev.cascade.systemtests.harness.ParentZone;
import dev.cascade.systemtests.harness.RolloverTimingRules;
import dev.cascade.systemtests.harness.SecondaryZone;
import dev.cascade.systemtests.harness.Stack;
import dev.cascade.systemtests.harness.StackExtension;
import dev.cascade.systemtests.harness.ValidatingResolver;
import dev.cascade.systemtests.harness.ZoneFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.ZoneTransferException;

/**
 * A year of key rolls in minutes (issue 14, "Tests"): a zone whose policy counts in seconds rolls its ZSK twelve times
 * and its KSK at least once by itself, through the whole stack, while
 *
 * <ul>
 *   <li>a real parent zone, served and signed by knotd ({@link ParentZone}), takes the zone's DS RRset each time the
 *       keymanager's {@code ds-submit-hook} hands one over, as a registry would;</li>
 *   <li>the zone's public name server is a knotd secondary of the publication server ({@link SecondaryZone}), the
 *       publisher being a hidden primary; the policy's {@code publication-nameservers} name the secondary, so the
 *       propagation checks look where resolvers do;</li>
 *   <li>a real unbound ({@link ValidatingResolver}) with the parent's DNSKEY RRset as its only trust anchor resolves
 *       and validates the zone after every version the secondary serves, and at least every second: every
 *       answer must be NOERROR (or NXDOMAIN for a name that does not exist) with AD, never SERVFAIL;</li>
 *   <li>every version the secondary serves is transferred and the sequence is checked against the RFC 7583 timing rules
 *       ({@link RolloverTimingRules}); each version whose DNSKEY RRset changed also goes through dnssec-verify.</li>
 * </ul>
 *
 * <p>Then the algorithm roll (RSASHA256, 8, to ECDSAP256SHA256, 13) and the KSK+ZSK → CSK conversion, each started by
 * nothing but a policy change and {@code cascade policy reload} ({@link #algorithmRoll}, {@link #cskConversion}).
 */
@ExtendWith(StackExtension.class)
class KeyRollYearIT {

  private static final String ZONE_NAME = "year.e2e.test";
  private static final Name ZONE = Name.fromConstantString(ZONE_NAME + ".");
  private static final Name PARENT = Name.fromConstantString("e2e.test.");
  private static final String POLICY = "year";
  /** Every TTL of the zone, its DNSKEY TTL and every TTL of the parent: short, so a roll's waits take seconds. */
  private static final Duration TTL = Duration.ofSeconds(3);
  /** A ZSK roll takes about four TTLs and four roll checks, so one starts as soon as the last one ended. */
  private static final String ZSK_VALIDITY = "10s";
  /** The first KSK roll starts a minute in, amid the ZSK rolls (the two may run at once). */
  private static final String KSK_VALIDITY = "60s";
  private static final int ZSK_ROLLS = 12;
  private static final int KSK_ROLLS = 1;
  /** How often the test asks the secondary for the zone's SOA serial. */
  private static final Duration POLL = Duration.ofMillis(100);
  /** The versions are seen on the zone's only public name server: what it serves is what every resolver gets. */
  private static final Duration PROPAGATION_DELAY = Duration.ZERO;
  private static final Duration RUN_LIMIT = Duration.ofMinutes(5);

  static final String ZONE_TEXT =
      """
      $ORIGIN year.e2e.test.
      $TTL 3
      @      IN SOA   ns1.year.e2e.test. hostmaster.year.e2e.test. 1 7200 3600 1209600 3
      @      IN NS    ns1.year.e2e.test.
      ns1    IN A     127.0.0.1
      www    IN A     192.0.2.80
      www    IN AAAA  2001:db8::80
      """;

  @Test
  void twelveZskRollsAndAKskRollKeepTheZoneValidatingAndKeepRfc7583Timing(Stack stack) throws Exception {
    Instant started = Instant.now();
    Path directory = stack.testDirectory("key-roll-year");
    try (ParentZone parent = ParentZone.start(directory.resolve("parent"), PARENT, ZONE, TTL);
        SecondaryZone secondary = SecondaryZone.start(directory.resolve("secondary"), ZONE, Dns.PUBLISHED_PORT);
        ValidatingResolver resolver = ValidatingResolver.start(
            directory.resolve("unbound"), parent.dnskeys(), Map.of(PARENT, parent.port(), ZONE, secondary.port()))) {
      Path submissions = Files.createDirectories(directory.resolve("ds-submissions"));
      Path policy = writePolicy(stack.policyDirectory(), parent, secondary, writeHook(directory, submissions));
      Watch watch = new Watch(parent, secondary, resolver, submissions, directory.resolve("versions"));
      new Operator(stack).addZone(ZONE_NAME, ZoneFiles.write(stack, ZONE_NAME, ZONE_TEXT), POLICY);
      try {
        watch.until("the zone's first DS RRset at the parent", Watch::secure);
        watch.until(ZSK_ROLLS + " ZSK rolls and " + KSK_ROLLS + " KSK roll done",
            w -> w.rules.removedKeys(DNSKEYRecord.Flags.ZONE_KEY) >= ZSK_ROLLS
                && w.rules.removedKeys(DNSKEYRecord.Flags.ZONE_KEY | DNSKEYRecord.Flags.SEP_KEY) >= KSK_ROLLS);
        algorithmRoll(stack.cli(), watch, policy);
        cskConversion(stack.cli(), watch, policy);
        watch.verifyLastVersion();
      } finally {
        System.out.println(watch.summary(started));
        stack.cli().run("zone", "remove", ZONE_NAME);
      }
    }
  }

  /**
   * Issue 14: one algorithm roll, RSASHA256 (8) → ECDSAP256SHA256 (13), in the conservative order of RFC 6781
   * §4.1.4. The policy's new algorithm, given by {@code cascade policy reload}, starts the roll by itself once the
   * rolls in progress are done; the validities become "forever" so that no new KSK or ZSK roll holds it up (an
   * algorithm roll runs alone). Done when only algorithm-13 keys are published and the parent's DS points to them
   * alone.
   */
  private static void algorithmRoll(Cli cli, Watch watch, Path policy) throws IOException {
    edit(policy, Map.of(
        "algorithm = \"RSASHA256\"", "algorithm = \"ECDSAP256SHA256\"",
        "zsk.validity = \"" + ZSK_VALIDITY + "\"", "zsk.validity = \"forever\"",
        "ksk.validity = \"" + KSK_VALIDITY + "\"", "ksk.validity = \"forever\""));
    cli.ok("policy", "reload");
    watch.until("the algorithm roll 8 → 13", w -> w.onlyAlgorithm(13));
  }

  /**
   * Issue 14: the KSK and ZSK become one CSK: {@code use-csk = true} and {@code cascade policy reload} start a
   * {@code csk} roll to the policy's key set by themselves. Done when one key, a CSK (flags 257), is published and at
   * the parent.
   */
  private static void cskConversion(Cli cli, Watch watch, Path policy) throws IOException {
    edit(policy, Map.of("use-csk = false", "use-csk = true"));
    cli.ok("policy", "reload");
    watch.until("the conversion to a CSK", Watch::singleCsk);
  }

  private static void edit(Path file, Map<String, String> replacements) throws IOException {
    String text = Files.readString(file);
    for (Map.Entry<String, String> replacement : replacements.entrySet()) {
      assertTrue(text.contains(replacement.getKey()), file + " has no " + replacement.getKey());
      text = text.replace(replacement.getKey(), replacement.getValue());
    }
    Files.writeString(file, text);
  }

  /**
   * The DS submission hook: writes the whole DS RRset the parent is to hold to a file of its own, named so that the
   * files sort in the order the hook ran, and moved into place whole.
   */
  private static Path writeHook(Path directory, Path submissions) throws IOException {
    return Files.writeString(directory.resolve("submit-ds.sh"), """
        #!/bin/sh
        set -eu
        name="$(date +%%s%%N)-$CASCADE_REQUEST_ID"
        printf '%%s\\n' "$CASCADE_DS" > "%1$s/.$name"
        mv "%1$s/.$name" "%1$s/$name.ds"
        echo "DS RRset for $CASCADE_ZONE handed to the test's parent $CASCADE_PARENT"
        """.formatted(submissions));
  }

  /**
   * The zone's policy: validities and TTLs in seconds, every roll step automatic (the defaults), the propagation
   * checks on the secondary and on the test's parent, the DS handed to the test by the hook. RSASHA256, so that an
   * algorithm roll to ECDSAP256SHA256 can follow.
   */
  private static Path writePolicy(Path policies, ParentZone parent, SecondaryZone secondary, Path hook)
      throws IOException {
    return Files.writeString(policies.resolve(POLICY + ".toml"), """
        # KeyRollYearIT: a year of key rolls in minutes.
        version = "v1"

        [loader.review]
        mode = "off"

        [key-manager]
        ksk.validity = "%1$s"
        zsk.validity = "%2$s"
        publication-nameservers = ["%6$s"]
        parent-nameservers = ["%3$s"]
        ds-submit-hook = "sh %4$s"

        [key-manager.records]
        ttl = "%5$ds"

        [key-manager.generation]
        algorithm = "RSASHA256"
        use-csk = false

        [signer]
        serial-policy = "counter"

        [signer.review]
        mode = "off"
        """.formatted(KSK_VALIDITY, ZSK_VALIDITY, parent.server(), hook, TTL.toSeconds(), secondary.server()));
  }

  /** What the test watches on the wire, once every {@link #POLL}. */
  private static final class Watch {

    private static final Name WWW = Name.fromConstantString("www." + ZONE);
    private static final Name MISSING = Name.fromConstantString("missing." + ZONE);

    private final ParentZone parent;
    private final SecondaryZone secondary;
    private final ValidatingResolver resolver;
    private final Path submissions;
    private final Path versions;
    private final RolloverTimingRules rules;
    private final Set<Path> submitted = new HashSet<>();
    private List<Record> lastVersion = List.of();
    private Set<DNSKEYRecord> lastDnskeys = Set.of();
    private List<DSRecord> parentDs = List.of();
    private long lastSerial = -1;
    private Instant lastPoll;
    private Instant lastValidation = Instant.MIN;
    private Duration longestWindow = Duration.ZERO;
    private int validations;
    private int verifications;

    Watch(ParentZone parent, SecondaryZone secondary, ValidatingResolver resolver, Path submissions, Path versions)
        throws IOException {
      this.parent = parent;
      this.secondary = secondary;
      this.resolver = resolver;
      this.submissions = submissions;
      this.versions = Files.createDirectories(versions);
      this.rules = new RolloverTimingRules(new RolloverTimingRules.Timing(TTL, TTL, TTL, PROPAGATION_DELAY));
    }

    /** Polls until {@code done}, failing at the first SERVFAIL, unvalidated answer or timing rule broken. */
    void until(String what, Predicate<Watch> done) {
      Instant deadline = Instant.now().plus(RUN_LIMIT);
      while (!done.test(this)) {
        if (Instant.now().isAfter(deadline)) {
          throw new AssertionError("no " + what + " within " + RUN_LIMIT + "\n" + rules.timeline());
        }
        try {
          poll();
          Thread.sleep(POLL.toMillis());
        } catch (IOException | ZoneTransferException e) {
          throw new AssertionError("watching " + ZONE + " failed: " + e + "\n" + rules.timeline(), e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    }

    private void poll() throws IOException, ZoneTransferException {
      takeSubmissions();
      // The previous poll still saw the previous version: a new one was served after it was asked.
      Instant previous = lastPoll;
      lastPoll = Instant.now();
      OptionalLong serial = Dns.soaSerial(ZONE, secondary.port());
      if (serial.isPresent() && serial.getAsLong() != lastSerial) {
        Instant seen = Instant.now();
        Instant notBefore = previous == null ? lastPoll : previous;
        if (Duration.between(notBefore, seen).compareTo(longestWindow) > 0) {
          longestWindow = Duration.between(notBefore, seen);
        }
        served(notBefore, seen);
        validate();
      } else if (Duration.between(lastValidation, Instant.now()).toSeconds() >= 1) {
        validate();
      }
    }

    /** Transfers the new version and checks the timing rules over every version so far. */
    private void served(Instant notBefore, Instant seen) throws IOException, ZoneTransferException {
      if (lastSerial < 0) {
        try (Stream<Path> listed = Files.list(submissions)) {
          assertFalse(listed.anyMatch(file -> file.getFileName().toString().endsWith(".ds")),
              "the first DS RRset was submitted before the zone was served");
        }
      }
      List<Record> records = new ArrayList<>(new LinkedHashSet<>(Dns.axfr(ZONE, secondary.port())));
      lastSerial = ((SOARecord) records.get(0)).getSerial();
      lastVersion = records;
      rules.served(new RolloverTimingRules.Version(notBefore, seen, lastSerial, records));
      List<String> violations = rules.violations();
      assertEquals(List.of(), violations, "RFC 7583 timing broken\n" + rules.timeline());
      Set<DNSKEYRecord> dnskeys = records.stream()
          .filter(DNSKEYRecord.class::isInstance).map(DNSKEYRecord.class::cast).collect(Collectors.toSet());
      if (!dnskeys.equals(lastDnskeys)) {
        lastDnskeys = dnskeys;
        verify(records, dnssecVerify(records));
      }
    }

    /**
     * dnssec-verify, with {@code -z} ("ignore the KSK flag") once some algorithm's SOA is signed by no non-SEP key:
     * during and after the conversion a CSK signs the data, which without {@code -z} dnssec-verify reports as a missing
     * ZSK (the SEP flag is a hint to signing software only, RFC 4034 §2.1.1).
     */
    private static String[] dnssecVerify(List<Record> records) {
      Set<Integer> algorithms = new HashSet<>();
      Set<Integer> zsks = new HashSet<>();
      for (Record r : records) {
        if (r instanceof DNSKEYRecord key) {
          algorithms.add(key.getAlgorithm());
          if ((key.getFlags() & DNSKEYRecord.Flags.SEP_KEY) == 0) {
            zsks.add(key.getFootprint());
          }
        }
      }
      Set<Integer> signedByZsk = records.stream()
          .filter(r -> r instanceof RRSIGRecord sig && sig.getTypeCovered() == Type.SOA)
          .map(RRSIGRecord.class::cast)
          .filter(sig -> zsks.contains(sig.getFootprint()))
          .map(RRSIGRecord::getAlgorithm).collect(Collectors.toSet());
      return signedByZsk.equals(algorithms) ? new String[] {"dnssec-verify", "-o", ZONE.toString()}
          : new String[] {"dnssec-verify", "-z", "-o", ZONE.toString()};
    }

    /**
     * Serves each DS RRset the hook handed over at the parent, at once and in the order the hook ran, as a registry
     * that trusts its child would: the keymanager asks for the zone's first DS only once the signed zone has
     * propagated ({@code served} checks that none came before the zone was served).
     */
    private void takeSubmissions() throws IOException {
      List<Path> files;
      try (Stream<Path> listed = Files.list(submissions)) {
        files = listed.filter(file -> file.getFileName().toString().endsWith(".ds"))
            .filter(file -> !submitted.contains(file)).sorted().toList();
      }
      for (Path file : files) {
        List<DSRecord> ds = new ArrayList<>();
        try (Master master = new Master(new ByteArrayInputStream(Files.readAllBytes(file)))) {
          for (Record record = master.nextRecord(); record != null; record = master.nextRecord()) {
            assertTrue(record instanceof DSRecord && record.getName().equals(ZONE), "the hook gave " + record);
            ds.add((DSRecord) record);
          }
        }
        Instant notBefore = Instant.now();
        rules.parentServes(notBefore, parent.serve(ds), ds);
        parentDs = ds;
        submitted.add(file);
      }
    }

    /** Resolves the zone through unbound: each answer validated, none SERVFAIL. */
    private void validate() throws IOException {
      lastValidation = Instant.now();
      if (!secure()) {
        return;
      }
      expect(ZONE, Type.SOA, Rcode.NOERROR);
      expect(ZONE, Type.DNSKEY, Rcode.NOERROR);
      expect(WWW, Type.A, Rcode.NOERROR);
      // Denial of existence: the NSEC proof must validate too (RFC 4035 §5.4).
      expect(MISSING, Type.A, Rcode.NXDOMAIN);
      validations++;
    }

    private void expect(Name name, int type, int rcode) throws IOException {
      ValidatingResolver.Answer answer = resolver.ask(name, type);
      if (answer.rcode() != rcode || !answer.authenticated()
          || (rcode == Rcode.NOERROR && answer.records().stream().noneMatch(r -> r.getType() == type))) {
        String log = resolver.log();
        throw new AssertionError(name + " " + Type.string(type) + " through unbound at serial " + lastSerial
            + ": " + answer + ", expected " + Rcode.string(rcode) + " with AD\nparent DS: " + parentDs
            + "\n" + rules.timeline() + "unbound's log (end):\n" + log.substring(Math.max(0, log.length() - 6000)));
      }
    }

    /** Runs an external verifier on the version as transferred; {@code command} is the tool and its options. */
    private void verify(List<Record> records, String... command) {
      Path file = ZoneFiles.writeTransfer(versions.resolve(lastSerial + ".zone"), records);
      List<String> arguments = new ArrayList<>(List.of(command));
      arguments.add(file.toString());
      ExternalTool.Outcome outcome = ExternalTool.run(arguments.toArray(String[]::new));
      assertEquals(0, outcome.exitCode(), String.join(" ", arguments) + ":\n" + outcome.output());
      verifications++;
    }

    void verifyLastVersion() {
      verify(lastVersion, "ldns-verify-zone");
    }

    /** Whether the parent serves a DS RRset for the zone: from then on every answer must validate. */
    boolean secure() {
      return !parentDs.isEmpty();
    }

    /** Whether every published key and every DS at the parent is of {@code algorithm}. */
    boolean onlyAlgorithm(int algorithm) {
      return !lastDnskeys.isEmpty() && lastDnskeys.stream().allMatch(key -> key.getAlgorithm() == algorithm)
          && secure() && parentDs.stream().allMatch(ds -> ds.getAlgorithm() == algorithm);
    }

    /** Whether one key is published, a CSK (flags 257), and the parent's DS points to it alone. */
    boolean singleCsk() {
      if (lastDnskeys.size() != 1) {
        return false;
      }
      DNSKEYRecord csk = lastDnskeys.iterator().next();
      return csk.getFlags() == (DNSKEYRecord.Flags.ZONE_KEY | DNSKEYRecord.Flags.SEP_KEY)
          && parentDs.size() == 1 && parentDs.get(0).getFootprint() == csk.getFootprint();
    }

    String summary(Instant started) {
      return "KeyRollYearIT: " + Duration.between(started, Instant.now()).toSeconds() + " s, "
          + rules.versionCount() + " versions served, " + rules.removedKeys(DNSKEYRecord.Flags.ZONE_KEY)
          + " ZSKs and " + rules.removedKeys(DNSKEYRecord.Flags.ZONE_KEY | DNSKEYRecord.Flags.SEP_KEY)
          + " KSKs rolled out, " + validations + " validations through unbound, " + verifications
          + " external verifications, longest window to see a new version " + longestWindow.toMillis() + " ms\n"
          + rules.margins()
          + rules.timeline();
    }
  }
}
