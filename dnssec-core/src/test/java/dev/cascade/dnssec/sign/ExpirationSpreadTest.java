package dev.cascade.dnssec.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.dnssec.testsupport.TestKeys;
import dev.cascade.dnssec.zone.CanonicalOrder;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class ExpirationSpreadTest {
  static final Name ORIGIN = Name.fromConstantString("example.");
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final long TTL = 3600;
  /** Reference Cascade defaults: inception offset 1d, lifetime 2w, remain time 1w, refresh interval 12h. */
  static final SigningPolicy DEFAULTS = new SigningPolicy(SigningPolicy.Denial.NSEC, false, 0, null, Duration.ofDays(1),
      Duration.ofDays(14), Duration.ofDays(7), Duration.ofHours(12));
  static final List<SigningKey> KEYS = List.of(TestKeys.load("ksk13"), TestKeys.load("zsk13"));
  static final List<SigningKey> NEXT_KEYS = List.of(TestKeys.load("ksk13"), TestKeys.load("unpublished13"));

  /** SOA, NS and {@code hosts} names with one A record each, TTL 1 h, in canonical order. */
  static List<Record> zone(int hosts) throws IOException {
    List<Record> records = new ArrayList<>();
    records.add(Record.fromString(ORIGIN, Type.SOA, DClass.IN, TTL, "ns1.other.net. hostmaster 1 7200 3600 1209600 300",
        ORIGIN));
    records.add(Record.fromString(ORIGIN, Type.NS, DClass.IN, TTL, "ns1.other.net.", ORIGIN));
    for (int i = 0; i < hosts; i++) {
      records.add(Record.fromString(Name.fromConstantString("host" + i + ".example."), Type.A, DClass.IN, TTL,
          "192.0.2." + (i % 250 + 1), ORIGIN));
    }
    records.sort(CanonicalOrder.RECORDS);
    return records;
  }

  @Test
  void fullSigningSpreadsExpirationsEvenlyOverTheWindowAndReproducibly() throws Exception {
    List<Record> unsigned = zone(2000);
    List<RRSIGRecord> one = rrsigs(new ZoneSigner(Clock.fixed(T0, ZoneOffset.UTC), 1)
        .sign(ORIGIN, unsigned, KEYS, TTL, DEFAULTS, 1).records());
    List<RRSIGRecord> two = rrsigs(new ZoneSigner(Clock.fixed(T0, ZoneOffset.UTC), 2)
        .sign(ORIGIN, unsigned, KEYS, TTL, DEFAULTS, 1).records());
    assertEquals(one.stream().map(ExpirationSpreadTest::validity).toList(),
        two.stream().map(ExpirationSpreadTest::validity).toList(), "same expirations in every run");

    // Window: (T0 + remain time + refresh interval + TTL, T0 + lifetime]; for the A RRsets (TTL 1 h) 155 h with
    // the defaults, here cut into refresh intervals.
    Instant latest = T0.plus(DEFAULTS.lifetime());
    long interval = DEFAULTS.refreshInterval().toSeconds();
    long windowSeconds = DEFAULTS.lifetime().minus(DEFAULTS.remainTime()).minus(DEFAULTS.refreshInterval())
        .toSeconds() - TTL;
    int[] perInterval = new int[(int) (windowSeconds / interval) + 1];
    int hosts = 0;
    for (RRSIGRecord sig : one) {
      Instant earliest = T0.plus(DEFAULTS.remainTime()).plus(DEFAULTS.refreshInterval()).plusSeconds(sig.getOrigTTL());
      assertTrue(sig.getExpire().isAfter(earliest) && !sig.getExpire().isAfter(latest), sig::toString);
      if (sig.getTypeCovered() == Type.A) {
        perInterval[(int) ((latest.getEpochSecond() - sig.getExpire().getEpochSecond()) / interval)]++;
        hosts++;
      }
    }
    double expected = hosts * (double) interval / windowSeconds;
    for (int i = 0; i < perInterval.length - 1; i++) {  // the last interval is a partial one
      assertTrue(perInterval[i] < 2 * expected && perInterval[i] > expected / 2,
          "interval " + i + ": " + perInterval[i] + " of " + hosts + ", expected about " + (int) expected);
    }
  }

  @Test
  void anExplicitWindowIsAppliedAsGivenWithoutSpread() throws Exception {
    Instant inception = T0.minus(Duration.ofHours(1));
    Instant expiration = T0.plus(Duration.ofDays(30));
    List<RRSIGRecord> sigs = rrsigs(new ZoneSigner(Clock.fixed(T0, ZoneOffset.UTC), 1)
        .sign(ORIGIN, zone(50), KEYS, TTL, DEFAULTS, 1, inception, expiration).records());
    for (RRSIGRecord sig : sigs) {
      assertEquals(inception, sig.getTimeSigned());
      assertEquals(expiration, sig.getExpire());
    }
  }

  /**
   * A year of refreshes every 12 h of an unchanged zone, with the ZSK replaced half-way: each refresh re-makes about
   * refresh interval / (lifetime - remain time) of the signatures (1/14 with the defaults, the reference's schedule),
   * never more than twice that but at the replacement, and no signature has less than remain time + TTL - refresh
   * interval left when a refresh comes (it was due at most one interval earlier), nor less than remain time + TTL
   * after it.
   */
  @Test
  void aYearOfRefreshesResignsAnEvenShareAndKeepsEverySignatureAwayFromExpiry() throws Exception {
    List<Record> unsigned = zone(300);
    List<Record> signed = new ZoneSigner(Clock.fixed(T0, ZoneOffset.UTC), 1)
        .sign(ORIGIN, unsigned, KEYS, TTL, DEFAULTS, 1).records();
    int total = rrsigs(signed).size();
    double share = (double) DEFAULTS.refreshInterval().toSeconds()
        / DEFAULTS.lifetime().minus(DEFAULTS.remainTime()).toSeconds();
    long before = DEFAULTS.remainTime().minus(DEFAULTS.refreshInterval()).toSeconds();
    long after = DEFAULTS.remainTime().toSeconds();
    int ticks = 730;
    int replacement = ticks / 2;
    long remade = 0;
    List<SigningKey> keys = KEYS;
    for (int tick = 1; tick <= ticks; tick++) {
      Instant now = T0.plus(DEFAULTS.refreshInterval().multipliedBy(tick));
      assertTrue(minimumLeft(signed, now) >= before, "tick " + tick + ": " + minimumLeft(signed, now) + " s left");
      if (tick == replacement) {
        keys = NEXT_KEYS;
      }
      SignedZoneUpdate update = new ZoneSigner(Clock.fixed(now, ZoneOffset.UTC), 1)
          .resign(ORIGIN, signed, unsigned, keys, TTL, DEFAULTS, 1 + tick);
      signed = update.zone().records();
      assertTrue(minimumLeft(signed, now) >= after, "tick " + tick + " after the refresh");
      long made = update.zone().stats().rrsigCount() - update.zone().stats().reusedRrsigCount() - 1;  // not the SOA's
      if (tick != replacement) {
        assertTrue(made <= 2 * share * total, "tick " + tick + ": " + made + " of " + total + " re-signed");
        remade += made;
      }
    }
    double mean = (double) remade / (ticks - 1) / total;
    assertTrue(mean > 0.8 * share && mean < 1.25 * share, "mean share " + mean + ", expected " + share);
  }

  @Test
  void refreshIsDueWhenTheFirstSignatureHasRemainTimePlusTtlLeft() throws Exception {
    List<Record> unsigned = zone(100);
    List<Record> signed = new ZoneSigner(Clock.fixed(T0, ZoneOffset.UTC), 1)
        .sign(ORIGIN, unsigned, KEYS, TTL, DEFAULTS, 1).records();
    Instant firstDue = rrsigs(signed).stream()
        .map(s -> s.getExpire().minus(DEFAULTS.remainTime()).minusSeconds(s.getOrigTTL())).min(Instant::compareTo)
        .orElseThrow();
    assertTrue(firstDue.isAfter(T0.plus(DEFAULTS.refreshInterval())), "nothing due at the first refresh");
    assertEquals(firstDue, SignatureRefresh.nextDue(signed, DEFAULTS, T0).orElseThrow());
    Instant justBefore = firstDue.minusSeconds(1);
    assertFalse(SignatureRefresh.anyDue(signed, DEFAULTS, justBefore));
    assertTrue(SignatureRefresh.anyDue(signed, DEFAULTS, firstDue));

    SigningCounts early = new ZoneSigner(Clock.fixed(justBefore, ZoneOffset.UTC), 1)
        .resign(ORIGIN, signed, unsigned, KEYS, TTL, DEFAULTS, 2).zone().stats();
    assertEquals(1, early.rrsigCount() - early.reusedRrsigCount(), "only the SOA's");
    SigningCounts due = new ZoneSigner(Clock.fixed(firstDue, ZoneOffset.UTC), 1)
        .resign(ORIGIN, signed, unsigned, KEYS, TTL, DEFAULTS, 2).zone().stats();
    assertTrue(due.rrsigCount() - due.reusedRrsigCount() > 1, "the SOA's and the due ones");

    // A signature not valid yet (a clock that went back past the inception) is due at once.
    Instant beforeInception = T0.minus(DEFAULTS.inceptionOffset()).minusSeconds(1);
    assertEquals(beforeInception, SignatureRefresh.nextDue(signed, DEFAULTS, beforeInception).orElseThrow());
  }

  /** The least validity left, beyond the RRset's TTL, of any RRSIG in the zone at {@code now}, in seconds. */
  private static long minimumLeft(List<Record> signed, Instant now) {
    return rrsigs(signed).stream()
        .mapToLong(s -> s.getExpire().getEpochSecond() - now.getEpochSecond() - s.getOrigTTL()).min().orElseThrow();
  }

  private static List<RRSIGRecord> rrsigs(List<Record> records) {
    return records.stream().filter(r -> r instanceof RRSIGRecord).map(r -> (RRSIGRecord) r).toList();
  }

  private static String validity(RRSIGRecord s) {
    return s.getName() + "/" + Type.string(s.getTypeCovered()) + " " + s.getTimeSigned() + " " + s.getExpire();
  }
}
