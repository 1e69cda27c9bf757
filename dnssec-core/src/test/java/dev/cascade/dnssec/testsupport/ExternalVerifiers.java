package dev.cascade.dnssec.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * Runs the three independent DNSSEC zone verifiers on a signed zone. The tools are required, not
 * optional: a missing tool fails the test (CI installs bind9-utils, ldnsutils and knot-dnssecutils).
 */
public final class ExternalVerifiers {
  private static final String DNSSEC_VERIFY = "/usr/bin/dnssec-verify";
  private static final String LDNS_VERIFY_ZONE = "/usr/bin/ldns-verify-zone";
  private static final String KZONECHECK = "/usr/bin/kzonecheck";

  private ExternalVerifiers() {}

  /** Writes the zone to {@code dir} and asserts that every tool accepts it (exit code 0). */
  public static void assertAllAccept(Name origin, List<Record> records, Path dir) throws IOException, InterruptedException {
    assertBindAndLdnsAccept(origin, records, dir);
    run(KZONECHECK, "-d", "on", "-o", origin.toString(), write(origin, records, dir).toString());
  }

  /**
   * Only BIND and ldns: for zones with data below a DNAME, which Knot refuses outright (RFC 6672 §2.3
   * forbids such data, but BIND loads it and the signer must cope with it as occluded data).
   */
  public static void assertBindAndLdnsAccept(Name origin, List<Record> records, Path dir)
      throws IOException, InterruptedException {
    Path file = write(origin, records, dir);
    // dnssec-verify insists on a non-SEP key per algorithm unless -z ("ignore the KSK flag"): a CSK-only zone needs it.
    boolean cskOnly = records.stream().noneMatch(r -> r instanceof DNSKEYRecord k && (k.getFlags() & DNSKEYRecord.Flags.SEP_KEY) == 0);
    List<String> args = new ArrayList<>(List.of("-o", origin.toString()));
    if (cskOnly) {
      args.add("-z");
    }
    args.add(file.toString());
    run(DNSSEC_VERIFY, args.toArray(String[]::new));
    run(LDNS_VERIFY_ZONE, file.toString());
  }

  private static Path write(Name origin, List<Record> records, Path dir) throws IOException {
    Path file = dir.resolve(origin + "zone");
    StringBuilder text = new StringBuilder();
    records.forEach(r -> text.append(r).append('\n'));
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  private static void run(String tool, String... args) throws IOException, InterruptedException {
    assertTrue(Files.isExecutable(Path.of(tool)), tool + " is not installed");
    List<String> command = new ArrayList<>(List.of(tool));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), tool + " timed out");
    assertEquals(0, p.exitValue(), String.join(" ", command) + " refused the zone:\n" + output);
  }
}
