package dev.cascade.signer.domain;

import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.dnssec.sign.SignedZone;
import dev.cascade.dnssec.sign.ZoneSigner;
import dev.cascade.dnssec.verify.VerificationReport;
import dev.cascade.dnssec.verify.ZoneVerifier;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * Signs one unsigned version and puts the result through the verification gate. The gate ({@link ZoneVerifier}) is
 * independent of the signing code path, so a signer bug cannot approve its own output (reliability anchors: "use a
 * validator that is independent of the signer code"). Whatever goes wrong becomes a {@link SigningOutcome.Failed}:
 * this method does not throw for bad input, keys or policy.
 */
public final class VersionSigner {

  /** Gate problems a failure reason lists before it only counts the rest; no official reference, keeps events small. */
  static final int PROBLEMS_IN_REASON = 5;

  private final Clock clock;
  private final int threads;

  /**
   * @param clock the time source for the serial policy, signature inception/expiration and the gate
   * @param threads signing threads
   */
  public VersionSigner(Clock clock, int threads) {
    this.clock = clock;
    this.threads = threads;
  }

  /**
   * Signs {@code unsigned} and verifies the result against the key set's DNSKEYs.
   *
   * @param origin the zone apex
   * @param unsignedSerial SOA serial of the loaded version
   * @param unsigned the loaded records
   * @param keys the zone's key set, private keys unwrapped
   * @param dnskeyTtl TTL of the DNSKEY RRset
   * @param policy the zone's signing policy
   * @param previousSigned serial of the zone's last signed version, if any
   */
  public SigningOutcome sign(
      Name origin,
      long unsignedSerial,
      List<Record> unsigned,
      List<SigningKey> keys,
      long dnskeyTtl,
      ZonePolicy policy,
      OptionalLong previousSigned) {
    Instant startedAt = clock.instant();
    long signedSerial;
    try {
      signedSerial = policy.serialPolicy().next(unsignedSerial, previousSigned, clock);
    } catch (Exception e) {
      return new SigningOutcome.Failed(
          "serial policy " + policy.serialPolicy() + " refused loaded serial " + unsignedSerial + ": " + e.getMessage());
    }
    SignedZone signed;
    try {
      signed =
          new ZoneSigner(clock, threads).sign(origin, unsigned, keys, dnskeyTtl, policy.signing(), signedSerial);
    } catch (RuntimeException e) {
      return new SigningOutcome.Failed("signing failed: " + describe(e));
    }
    List<DNSKEYRecord> publishedKeySet = keys.stream().map(SigningKey::dnskey).toList();
    VerificationReport report;
    try {
      report = ZoneVerifier.verify(origin, signed.records(), publishedKeySet, clock.instant(), policy.expiryFloor());
    } catch (RuntimeException e) {
      return new SigningOutcome.Failed("verification gate failed to run: " + describe(e));
    }
    if (!report.ok()) {
      return new SigningOutcome.Failed("verification gate: " + summarise(report.problems()));
    }
    return new SigningOutcome.Signed(signedSerial, signed.records(), signed.stats(), startedAt, clock.instant());
  }

  static String summarise(List<String> problems) {
    String first = problems.stream().limit(PROBLEMS_IN_REASON).collect(Collectors.joining("; "));
    int rest = problems.size() - PROBLEMS_IN_REASON;
    return rest > 0 ? first + " (and " + rest + " more)" : first;
  }

  private static String describe(Exception e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}
