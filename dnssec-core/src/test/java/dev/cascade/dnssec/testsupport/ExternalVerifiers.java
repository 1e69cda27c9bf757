package dev.cascade.dnssec.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.zone.ZoneFileWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Runs the three independent DNSSEC zone verifiers on a signed zone. The tools are required, not
 * optional: a missing tool fails the test (CI installs bind9-utils, ldnsutils and knot-dnssecutils).
 * The zone is written by Cascade's own {@link ZoneFileWriter}, so the tools read what Cascade publishes;
 * the tools of one check run side by side.
 */
public final class ExternalVerifiers {
  private static final String DNSSEC_VERIFY = "/usr/bin/dnssec-verify";
  private static final String LDNS_VERIFY_ZONE = "/usr/bin/ldns-verify-zone";
  private static final String KZONECHECK = "/usr/bin/kzonecheck";

  private ExternalVerifiers() {}

  /** Writes the zone to {@code dir} and asserts that every tool accepts it (exit code 0). */
  public static void assertAllAccept(Name origin, List<Record> records, Path dir)
      throws IOException, InterruptedException {
    assertAccepted(commands(origin, records, write(origin, records, dir), true));
  }

  /**
   * Only BIND and ldns: for zones with data below a DNAME, which Knot refuses outright (RFC 6672 §2.3
   * forbids such data, but BIND loads it and the signer must cope with it as occluded data).
   */
  public static void assertBindAndLdnsAccept(Name origin, List<Record> records, Path dir)
      throws IOException, InterruptedException {
    assertAccepted(commands(origin, records, write(origin, records, dir), false));
  }

  /**
   * Asserts that every tool refuses the zone (exit code not 0): proof that a tool really checks what the
   * accepting tests rely on, for instance signatures of every algorithm rather than skipping those it lacks.
   */
  public static void assertAllRefuse(Name origin, List<Record> records, Path dir)
      throws IOException, InterruptedException {
    List<List<String>> commands = commands(origin, records, write(origin, records, dir), true);
    List<Result> results = runAll(commands);
    for (int i = 0; i < commands.size(); i++) {
      assertNotEquals(0, results.get(i).exitCode(),
          String.join(" ", commands.get(i)) + " accepted a broken zone:\n" + results.get(i).output());
    }
  }

  private static void assertAccepted(List<List<String>> commands) throws IOException, InterruptedException {
    List<Result> results = runAll(commands);
    for (int i = 0; i < commands.size(); i++) {
      assertEquals(0, results.get(i).exitCode(),
          String.join(" ", commands.get(i)) + " refused the zone:\n" + results.get(i).output());
    }
  }

  private static List<List<String>> commands(Name origin, List<Record> records, Path file, boolean withKnot) {
    // dnssec-verify insists that a non-SEP key of every algorithm signs the zone's data unless -z ("ignore the KSK
    // flag"): a zone where some algorithm has only a CSK needs it, and so does a roll's phase where a CSK signs the
    // data while a ZSK is only published (the SEP flag is a hint to signing software, RFC 4034 §2.1.1). With -z it
    // still checks that every RRset is signed with every algorithm of the DNSKEY RRset.
    Set<Integer> algorithms = new TreeSet<>();
    Set<Integer> zskTags = new TreeSet<>();
    for (Record r : records) {
      if (r instanceof DNSKEYRecord k) {
        algorithms.add(k.getAlgorithm());
        if ((k.getFlags() & DNSKEYRecord.Flags.SEP_KEY) == 0) {
          zskTags.add(k.getAlgorithm() << 16 | k.getFootprint());
        }
      }
    }
    Set<Integer> withZsk = new TreeSet<>();
    for (Record r : records) {
      if (r instanceof RRSIGRecord sig && sig.getTypeCovered() == Type.SOA
          && zskTags.contains(sig.getAlgorithm() << 16 | sig.getFootprint())) {
        withZsk.add(sig.getAlgorithm());
      }
    }
    List<String> bind = new ArrayList<>(List.of(DNSSEC_VERIFY, "-o", origin.toString()));
    if (!withZsk.equals(algorithms)) {
      bind.add("-z");
    }
    bind.add(file.toString());
    List<List<String>> commands = new ArrayList<>(List.of(bind, List.of(LDNS_VERIFY_ZONE, file.toString())));
    if (withKnot) {
      commands.add(List.of(KZONECHECK, "-d", "on", "-o", origin.toString(), file.toString()));
    }
    return commands;
  }

  private static Path write(Name origin, List<Record> records, Path dir) throws IOException {
    Path file = dir.resolve(origin + "zone");
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      ZoneFileWriter.write(records, out);
    }
    return file;
  }

  private record Result(int exitCode, String output) {}

  /**
   * Starts every command, then collects them in order. A tool blocked on a full output pipe waits until its
   * turn to be read; none waits for another, so this cannot deadlock.
   */
  private static List<Result> runAll(List<List<String>> commands) throws IOException, InterruptedException {
    List<Process> processes = new ArrayList<>();
    for (List<String> command : commands) {
      assertTrue(Files.isExecutable(Path.of(command.get(0))), command.get(0) + " is not installed");
      processes.add(new ProcessBuilder(command).redirectErrorStream(true).start());
    }
    List<Result> results = new ArrayList<>();
    for (int i = 0; i < processes.size(); i++) {
      Process p = processes.get(i);
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), commands.get(i).get(0) + " timed out");
      results.add(new Result(p.exitValue(), output));
    }
    return results;
  }
}
