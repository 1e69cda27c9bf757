package dev.cascade.dnssec.verify;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.cascade.dnssec.compact.CompactDiff;
import dev.cascade.dnssec.compact.CompactRecords;
import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.dnssec.sign.SignedZoneUpdate;
import dev.cascade.dnssec.sign.SigningPolicy;
import dev.cascade.dnssec.sign.ZoneSigner;
import dev.cascade.dnssec.testsupport.TestKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * How long the gate for a change takes on a large NSEC zone, against the one pass over the previous version it makes
 * (see {@link ChangeVerifier}): a TLD-like zone of N delegations (two out-of-zone NS each, one in five with a DS, one
 * in ten with in-bailiwick glue), signed in full, then one delegation added and the zone signed incrementally. Off by
 * default; run with
 * {@code ./mvnw -B -q -o -pl dnssec-core verify -Dtest=ChangeVerifierBenchmarkTest -Dcascade.bench.delegations=1000000
 * -DargLine=-Xmx12g} and read the figures on standard output.
 */
@EnabledIfSystemProperty(named = "cascade.bench.delegations", matches = "\\d+")
class ChangeVerifierBenchmarkTest {
  static final Name ORIGIN = Name.fromConstantString("example.");
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final List<SigningKey> KEYS = List.of(TestKeys.load("ksk13"), TestKeys.load("zsk13"));
  static final List<DNSKEYRecord> PUBLISHED = KEYS.stream().map(SigningKey::dnskey).toList();
  static final SigningPolicy NSEC = new SigningPolicy(SigningPolicy.Denial.NSEC, false, 0, new byte[0],
      Duration.ofHours(1), Duration.ofDays(14), Duration.ofDays(7), Duration.ofHours(12));

  @Test
  void oneAddedDelegation() {
    int delegations = Integer.parseInt(System.getProperty("cascade.bench.delegations"));
    Random random = new Random(1);
    List<Record> unsigned = new ArrayList<>(delegations * 3);
    unsigned.add(record("@", "SOA", "ns1.nic.example. hostmaster.example. 1 7200 3600 1209600 300"));
    unsigned.add(record("@", "NS", "ns1.nic.example."));
    unsigned.add(record("ns1.nic", "A", "192.0.2.1"));
    for (int i = 0; i < delegations; i++) {
      addDelegation(unsigned, "d" + Integer.toString(random.nextInt(), 36).replace('-', 'm') + i, random);
    }
    long t = System.nanoTime();
    List<Record> v1 = new ZoneSigner(Clock.fixed(T0, ZoneOffset.UTC), 2).sign(ORIGIN, unsigned, KEYS, 3600, NSEC, 1)
        .records();
    System.out.printf("signed %d delegations, %d records, in %.1f s%n", delegations, v1.size(), seconds(t));
    CompactRecords previous = CompactRecords.ofSorted(v1);

    addDelegation(unsigned, "new-delegation", random);
    Instant t1 = T0.plus(Duration.ofHours(1));
    t = System.nanoTime();
    SignedZoneUpdate update = new ZoneSigner(Clock.fixed(t1, ZoneOffset.UTC), 2)
        .resign(ORIGIN, v1, unsigned, KEYS, 3600, NSEC, 2);
    System.out.printf("re-signed incrementally in %.1f s%n", seconds(t));
    v1 = null;
    CompactDiff change = new CompactDiff(CompactRecords.of(update.diff().removed()),
        CompactRecords.of(update.diff().added()));
    update = null;

    double[] runs = new double[7];
    for (int i = 0; i < runs.length; i++) {
      t = System.nanoTime();
      ChangeReport report = ChangeVerifier.verify(ORIGIN, previous, change, PUBLISHED, t1, Duration.ofDays(1));
      runs[i] = seconds(t) * 1000;
      assertInstanceOf(ChangeReport.Passed.class, report, report::toString);
    }
    double[] scans = new double[7];
    for (int i = 0; i < scans.length; i++) {
      t = System.nanoTime();
      CompactRecords.Cursor cursor = previous.cursor();
      long rrsigs = 0;
      while (cursor.next()) {
        rrsigs += cursor.type() == Type.RRSIG ? 1 : 0;
      }
      scans[i] = seconds(t) * 1000;
      if (rrsigs == 0) {
        throw new AssertionError("a signed zone without RRSIGs");
      }
    }
    Arrays.sort(runs);
    Arrays.sort(scans);
    System.out.printf("change of %d records: gate for the change %.1f ms (median of %d; min %.1f, max %.1f), of which"
            + " a bare cursor pass over the %d previous records takes %.1f ms%n", change.size(), runs[runs.length / 2],
        runs.length, runs[0], runs[runs.length - 1], previous.size(), scans[scans.length / 2]);
  }

  private static void addDelegation(List<Record> zone, String label, Random random) {
    zone.add(record(label, "NS", "ns1.provider" + random.nextInt(100) + ".net."));
    zone.add(record(label, "NS", "ns2.provider" + random.nextInt(100) + ".net."));
    if (random.nextInt(5) == 0) {
      byte[] digest = new byte[32];
      random.nextBytes(digest);
      zone.add(record(label, "DS", random.nextInt(65536) + " 13 2 " + HexFormat.of().formatHex(digest)));
    }
    if (random.nextInt(10) == 0) {
      zone.add(record(label, "NS", "ns." + label + ".example."));
      zone.add(record("ns." + label, "A", "10.0." + random.nextInt(256) + "." + (1 + random.nextInt(254))));
    }
  }

  private static Record record(String name, String type, String rdata) {
    try {
      Name owner = name.equals("@") ? ORIGIN : Name.fromString(name, ORIGIN);
      return Record.fromString(owner, Type.value(type), DClass.IN, 3600, rdata, ORIGIN);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
