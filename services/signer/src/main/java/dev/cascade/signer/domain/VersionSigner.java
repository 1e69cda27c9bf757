package dev.cascade.signer.domain;

import dev.cascade.dnssec.compact.CompactDiff;
import dev.cascade.dnssec.compact.CompactRecords;
import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.dnssec.parent.ParentRecords;
import dev.cascade.dnssec.progress.Phase;
import dev.cascade.dnssec.progress.PhaseProgress;
import dev.cascade.dnssec.sign.ChangeSigner;
import dev.cascade.dnssec.sign.SignedZone;
import dev.cascade.dnssec.sign.SigningCounts;
import dev.cascade.dnssec.sign.ZoneSigner;
import dev.cascade.dnssec.verify.ChangeReport;
import dev.cascade.dnssec.verify.ChangeVerifier;
import dev.cascade.dnssec.verify.ExpectedKeys;
import dev.cascade.dnssec.verify.VerificationReport;
import dev.cascade.dnssec.verify.VerifiedSignatures;
import dev.cascade.dnssec.verify.ZoneVerifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * Signs one unsigned version, incrementally from the zone's previous signed version when there is one, and puts the
 * result through the verification gate: the gate for a change ({@link ChangeVerifier}) when the version was signed as
 * a change, else the whole-zone gate ({@link ZoneVerifier}). Both are independent of the signing code path, so a
 * signer bug cannot approve its own output (reliability anchors: "use a validator that is independent of the signer
 * code"). Whatever goes wrong becomes a {@link SigningOutcome.Failed}: this method does not throw for bad input, keys
 * or policy.
 */
public final class VersionSigner {

  /** Gate problems a failure reason lists before it only counts the rest; no official reference, keeps events small. */
  static final int PROBLEMS_IN_REASON = 5;

  private final Clock clock;
  private final int threads;
  private final VerifiedSignatures known;
  private final PhaseProgress progress;
  private final PhaseScope phases;
  /** How long the verification gate has run so far for the version being signed (one instance signs one version). */
  private long verifyingNanos;

  /**
   * @param clock the time source for the serial policy, signature inception/expiration and the gate
   * @param threads signing threads
   */
  public VersionSigner(Clock clock, int threads) {
    this(clock, threads, VerifiedSignatures.none());
  }

  /**
   * @param clock the time source for the serial policy, signature inception/expiration and the gate
   * @param threads signing threads
   * @param known the signatures the gate found valid in its last run on the zone: it does not repeat their
   *     public-key operation, so the gate on an incremental signing costs about what changed ({@link VerifiedSignatures})
   */
  public VersionSigner(Clock clock, int threads, VerifiedSignatures known) {
    this(clock, threads, known, PhaseProgress.NONE);
  }

  /**
   * @param clock the time source for the serial policy, signature inception/expiration and the gate
   * @param threads signing threads
   * @param known the signatures the gate found valid in its last run on the zone
   * @param progress told how far a pass over the whole zone has got: the records signed ({@link Phase#SIGN}) and
   *     those whose signatures the whole-zone gate checked ({@link Phase#VERIFY}); a change is signed and gated in
   *     moments and not counted
   */
  public VersionSigner(Clock clock, int threads, VerifiedSignatures known, PhaseProgress progress) {
    this(clock, threads, known, progress, PhaseScope.DIRECT);
  }

  /**
   * @param clock the time source for the serial policy, signature inception/expiration and the gate
   * @param threads signing threads
   * @param known the signatures the gate found valid in its last run on the zone
   * @param progress told how far a pass over the whole zone has got
   * @param phases runs each signing ({@link Phase#SIGN}) and each run of the gate ({@link Phase#VERIFY})
   */
  public VersionSigner(
      Clock clock, int threads, VerifiedSignatures known, PhaseProgress progress, PhaseScope phases) {
    this.clock = clock;
    this.threads = threads;
    this.known = known;
    this.progress = progress;
    this.phases = phases;
  }

  /**
   * Signs {@code unsigned} and verifies the result against the key set's DNSKEYs and uses, by the cheapest way the
   * previous signed version allows, falling back to the next when one cannot be used or its result fails the gate:
   * <ol>
   *   <li>as a change ({@link ChangeSigner}): when the previous version and the unsigned version it was made from
   *       are at hand, only what the unsigned difference reaches is signed, and only that is looked at;
   *   <li>incrementally ({@link ZoneSigner#resign}): a pass over the whole zone that carries over the RRSIGs of
   *       unchanged RRsets that are not due (reference notes §6);
   *   <li>in full.
   * </ol>
   * The previous version only ever saves work, it never fails a version. The gate always judges the complete
   * result; for a change, by checking what the change reaches in it ({@link ChangeVerifier}).
   *
   * @param origin the zone apex
   * @param unsignedSerial SOA serial of the loaded version
   * @param unsigned the loaded records
   * @param keys the zone's key set, private keys unwrapped, each with its use (which keys are published, which sign)
   * @param dnskeyTtl TTL of the DNSKEY RRset
   * @param policy the zone's signing policy
   * @param previousSignedSerial serial of the zone's last signed version, if any (also after the zone was removed
   *     and added again, so the serial never goes back)
   * @param previous the zone's previous signed version, the base of an incremental signing
   */
  public SigningOutcome sign(
      Name origin,
      long unsignedSerial,
      CompactRecords unsigned,
      List<SigningKey> keys,
      long dnskeyTtl,
      ZonePolicy policy,
      OptionalLong previousSignedSerial,
      PreviousSigned previous) {
    return sign(origin, unsignedSerial, unsigned, keys, dnskeyTtl, List.of(), policy, previousSignedSerial, previous);
  }

  /**
   * Signs as {@link #sign(Name, long, CompactRecords, List, long, ZonePolicy, OptionalLong, PreviousSigned)} does,
   * with {@code cdsAndCdnskey} as the apex's CDS and CDNSKEY RRsets ({@link ParentRecords}): they join the unsigned
   * version each way of signing starts from (the change's unsigned difference, for a signing as a change), so every
   * way gives them, signed by the keys that sign the DNSKEY RRset, and the gate checks their signatures.
   *
   * @param cdsAndCdnskey the CDS and CDNSKEY records the key set asks for; empty for none
   */
  public SigningOutcome sign(
      Name origin,
      long unsignedSerial,
      CompactRecords unsigned,
      List<SigningKey> keys,
      long dnskeyTtl,
      List<Record> cdsAndCdnskey,
      ZonePolicy policy,
      OptionalLong previousSignedSerial,
      PreviousSigned previous) {
    Instant startedAt = clock.instant();
    long signedSerial;
    try {
      signedSerial = policy.serialPolicy().next(unsignedSerial, previousSignedSerial, clock);
    } catch (Exception e) {
      return new SigningOutcome.Failed(
          "serial policy " + policy.serialPolicy() + " refused loaded serial " + unsignedSerial + ": " + e.getMessage());
    }
    ExpectedKeys keySet = ExpectedKeys.of(keys);
    String passReason;
    if (previous instanceof PreviousSigned.Available available && available.unsigned() != null) {
      ChangeAttempt attempt = signChange(origin, available, unsigned, keys, dnskeyTtl, cdsAndCdnskey, policy,
          signedSerial, startedAt);
      if (attempt.signed() != null) {
        return attempt.signed();
      }
      passReason = attempt.declined();
    } else {
      passReason = "the unsigned version the previous one was made from is not at hand";
    }
    ZoneSigner signer = new ZoneSigner(clock, threads, progress.of(Phase.SIGN));
    String fullSigningReason;
    if (previous instanceof PreviousSigned.Available available) {
      try {
        SignedZone incremental = phases.run(Phase.SIGN, () ->
            signer.resign(origin, available.records().toRecords(), withCds(origin, unsigned, cdsAndCdnskey), keys,
                    dnskeyTtl, policy.signing(), signedSerial)
                .zone());
        CompactRecords records = CompactRecords.ofSorted(incremental.records());
        Gate gate = gate(() -> ZoneVerifier.verify(origin, incremental.records(), keySet, clock.instant(),
            policy.expiryFloor(), known, progress.of(Phase.VERIFY)));
        if (gate.problem() == null) {
          return signed(signedSerial, records, null, incremental.stats(), policy, startedAt, passReason, null,
              gate.verified());
        }
        fullSigningReason = "the incremental result failed the " + gate.problem();
      } catch (RuntimeException e) {
        fullSigningReason = "incremental signing failed: " + describe(e);
      }
    } else if (previous instanceof PreviousSigned.Unreadable unreadable) {
      fullSigningReason = "the previous signed version cannot be read: " + unreadable.reason();
    } else {
      fullSigningReason = "the zone has no signed version yet";
    }
    FullSigning full;
    try {
      full = phases.run(Phase.SIGN, () -> signFull(signer, origin, withCds(origin, unsigned, cdsAndCdnskey), keys,
          dnskeyTtl, policy, signedSerial));
    } catch (RuntimeException e) {
      return new SigningOutcome.Failed("signing failed: " + describe(e));
    }
    Gate gate = gate(origin, full.records(), keySet, policy);
    if (gate.problem() != null) {
      return new SigningOutcome.Failed(gate.problem());
    }
    return signed(signedSerial, full.records(), null, full.stats(), policy, startedAt, passReason, fullSigningReason,
        gate.verified());
  }

  /** A zone signed in full: its records, and the signing's counts. */
  private record FullSigning(CompactRecords records, SigningCounts stats) {}

  /**
   * Signs the zone in full straight into its compact form: the signer hands its records over in canonical order, as
   * the builder takes them, so the signed zone never exists as a list of dnsjava records (issue 8: those cost several
   * hundred octets a record, the compact form about its wire size). The unsigned records, decoded for the signer,
   * are dropped on return, before the gate runs.
   */
  private static FullSigning signFull(ZoneSigner signer, Name origin, List<Record> unsigned, List<SigningKey> keys,
      long dnskeyTtl, ZonePolicy policy, long signedSerial) {
    CompactRecords.Builder records = CompactRecords.builder();
    SigningCounts stats =
        signer.sign(origin, unsigned, keys, dnskeyTtl, policy.signing(), signedSerial, records::add);
    return new FullSigning(records.build(), stats);
  }

  /** The unsigned records with the key set's CDS and CDNSKEY at the apex. */
  private static List<Record> withCds(Name origin, CompactRecords unsigned, List<Record> cdsAndCdnskey) {
    return cdsAndCdnskey.isEmpty()
        ? unsigned.toRecords()
        : ParentRecords.withCdsAndCdnskey(origin, unsigned.toRecords(), cdsAndCdnskey);
  }

  /** A signing as a change: its outcome, or why there is none and the zone is signed by a pass over it. */
  private record ChangeAttempt(SigningOutcome.Signed signed, String declined) {}

  private ChangeAttempt signChange(
      Name origin,
      PreviousSigned.Available previous,
      CompactRecords unsigned,
      List<SigningKey> keys,
      long dnskeyTtl,
      List<Record> cdsAndCdnskey,
      ZonePolicy policy,
      long signedSerial,
      Instant startedAt) {
    ChangeSigner.Result result;
    try {
      // The stored unsigned versions never hold CDS or CDNSKEY (the loader strips them); the previous signed version
      // holds those of the previous key set.
      CompactDiff unsignedChange = CompactDiff.between(previous.unsigned(), unsigned)
          .then(ParentRecords.change(origin, previous.records(), cdsAndCdnskey));
      result = phases.run(Phase.SIGN, () -> new ChangeSigner(clock)
          .sign(origin, previous.records(), unsignedChange, keys, dnskeyTtl, policy.signing(), signedSerial));
    } catch (RuntimeException e) {
      return new ChangeAttempt(null, "signing the change failed: " + describe(e));
    }
    if (result instanceof ChangeSigner.Result.NeedsFullSigning declined) {
      return new ChangeAttempt(null, declined.reason());
    }
    ChangeSigner.Result.Signed change = (ChangeSigner.Result.Signed) result;
    CompactRecords records;
    try {
      records = change.change().applyTo(previous.records());
    } catch (IllegalArgumentException e) {
      return new ChangeAttempt(null, "the signed change does not apply to the previous version: " + e.getMessage());
    }
    Gate gate = changeGate(origin, previous.records(), change.change(), records, ExpectedKeys.of(keys), policy);
    if (gate.problem() != null) {
      return new ChangeAttempt(null, "the signed change failed the " + gate.problem());
    }
    return new ChangeAttempt(
        signed(signedSerial, records, change.change(), change.stats(), policy, startedAt, null, null, gate.verified()),
        null);
  }

  /**
   * Runs the gate for a change ({@link ChangeVerifier}) on {@code previous ⊕ change}, which costs what the change
   * reaches instead of a public-key operation per signature of the zone; the whole-zone gate runs on {@code records}
   * when the change is of a kind the gate for a change does not decide. The previous version passed a gate when it
   * was signed, as {@link ChangeVerifier#verify} requires: only gated versions are written and kept as the previous
   * one. A change that passes leaves the signatures known to be valid as they were: those the change removed are
   * never asked about again, and those it added are checked by the whole-zone gate when it next runs.
   */
  private Gate changeGate(Name origin, CompactRecords previous, CompactDiff change, CompactRecords records,
      ExpectedKeys keySet, ZonePolicy policy) {
    ChangeReport report;
    long start = System.nanoTime();
    try {
      report = phases.run(Phase.VERIFY,
          () -> ChangeVerifier.verify(origin, previous, change, keySet, clock.instant(), policy.expiryFloor()));
    } catch (RuntimeException e) {
      return new Gate("verification gate for the change failed to run: " + describe(e), VerifiedSignatures.none());
    } finally {
      verifyingNanos += System.nanoTime() - start;
    }
    if (report instanceof ChangeReport.Failed failed) {
      return new Gate("verification gate: " + summarise(failed.problems()), VerifiedSignatures.none());
    }
    return report.passed() ? new Gate(null, known) : gate(origin, records, keySet, policy);
  }

  /** What the verification gate said: null or the failure reason, and the signatures it found valid. */
  private record Gate(String problem, VerifiedSignatures verified) {}

  /** Runs the whole-zone verification gate on {@code signed}, a slice of names at a time ({@link ZoneVerifier}). */
  private Gate gate(Name origin, CompactRecords signed, ExpectedKeys keySet, ZonePolicy policy) {
    return gate(() -> ZoneVerifier.verify(origin, signed, keySet, clock.instant(), policy.expiryFloor(), known,
        progress.of(Phase.VERIFY)));
  }

  /** Runs a whole-zone verification gate: {@code verification}, and what went wrong with it if it threw. */
  private Gate gate(Supplier<VerificationReport> verification) {
    VerificationReport report;
    long start = System.nanoTime();
    try {
      report = phases.run(Phase.VERIFY, verification);
    } catch (RuntimeException e) {
      return new Gate("verification gate failed to run: " + describe(e), VerifiedSignatures.none());
    } finally {
      verifyingNanos += System.nanoTime() - start;
    }
    return new Gate(report.ok() ? null : "verification gate: " + summarise(report.problems()), report.verified());
  }

  private SigningOutcome.Signed signed(
      long signedSerial,
      CompactRecords records,
      CompactDiff change,
      SigningCounts stats,
      ZonePolicy policy,
      Instant startedAt,
      String passReason,
      String fullSigningReason,
      VerifiedSignatures verified) {
    Instant finishedAt = clock.instant();
    return new SigningOutcome.Signed(
        signedSerial,
        records,
        change,
        stats,
        startedAt,
        finishedAt,
        passReason,
        fullSigningReason,
        RefreshSchedule.refreshDueAt(records, policy.signing(), finishedAt),
        verified,
        Duration.ofNanos(verifyingNanos));
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
