package dev.cascade.reviewgateway.pipeline;

import dev.cascade.dnssec.parent.CdsPublication;
import dev.cascade.dnssec.parent.DsDigest;
import dev.cascade.events.v1.DenialKind;
import dev.cascade.events.v1.DsSubmissionFact;
import dev.cascade.events.v1.DsSubmissionHookCompleted;
import dev.cascade.events.v1.EventDeadLettered;
import dev.cascade.events.v1.EventMetadata;
import dev.cascade.events.v1.KeyRemovalRequested;
import dev.cascade.events.v1.KeyRollStepRequested;
import dev.cascade.events.v1.RollPosition;
import dev.cascade.events.v1.KeySetChanged;
import dev.cascade.events.v1.KeysetCommandGiven;
import dev.cascade.events.v1.KeyUse;
import dev.cascade.events.v1.NotifySent;
import dev.cascade.events.v1.ParentDsChangeRequested;
import dev.cascade.events.v1.PolicySnapshot;
import dev.cascade.events.v1.SerialPolicyKind;
import dev.cascade.events.v1.SignedVersionFact;
import dev.cascade.events.v1.StepProgressed;
import dev.cascade.events.v1.UnsignedVersionFact;
import dev.cascade.events.v1.ImportedKey;
import dev.cascade.events.v1.ZoneAdded;
import dev.cascade.events.v1.ZoneHaltFact;
import dev.cascade.events.v1.ZoneHalted;
import dev.cascade.events.v1.ZoneKey;
import dev.cascade.events.v1.ZoneLoadFailed;
import dev.cascade.events.v1.ZoneRegistryFact;
import dev.cascade.events.v1.ZoneReloadRequested;
import dev.cascade.events.v1.ZoneRemoved;
import dev.cascade.events.v1.ZoneReset;
import dev.cascade.events.v1.ZoneResumed;
import dev.cascade.events.v1.ZoneSigningFailed;
import dev.cascade.events.v1.ZoneVersionLoaded;
import dev.cascade.events.v1.ZoneNotifiesSent;
import dev.cascade.events.v1.ZoneVersionPublished;
import dev.cascade.events.v1.ZoneVersionReviewed;
import dev.cascade.events.v1.ZoneVersionSigned;
import dev.cascade.reviewgateway.domain.DenialType;
import dev.cascade.reviewgateway.domain.GateStage;
import dev.cascade.reviewgateway.domain.KeyImports;
import dev.cascade.reviewgateway.domain.KeyRolls;
import dev.cascade.reviewgateway.domain.ParentSettings;
import dev.cascade.reviewgateway.domain.PropagationChecks;
import dev.cascade.reviewgateway.domain.Policy;
import dev.cascade.reviewgateway.domain.ProgressStep;
import dev.cascade.reviewgateway.domain.ReviewSettings;
import dev.cascade.reviewgateway.domain.GateMode;
import dev.cascade.reviewgateway.domain.RollAutomation;
import dev.cascade.reviewgateway.domain.RollMethod;
import dev.cascade.reviewgateway.domain.SerialPolicy;
import dev.cascade.reviewgateway.domain.SigningCause;
import dev.cascade.reviewgateway.domain.StepProgress;
import dev.cascade.reviewgateway.domain.ZoneFact;
import dev.cascade.reviewgateway.domain.ZoneState;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Explicit conversion between the Avro events (shared-events) and the domain types, both ways. */
final class EventMapping {

  /** A consumed event, reduced to what the projection needs. */
  record Incoming(String zone, String eventId, Instant occurredAt, ZoneFact fact) {}

  private EventMapping() {}

  /** Maps a value from any consumed topic; {@code null} for a type this service does not project. */
  static Incoming fromAvro(Object value) {
    if (value instanceof ZoneRegistryFact f) {
      ZoneFact fact;
      if (f.getFact() instanceof ZoneAdded a) {
        fact = new ZoneFact.Added(policy(a.getPolicy()), a.getSource());
      } else if (f.getFact() instanceof ZoneReloadRequested r) {
        fact = new ZoneFact.ReloadRequested(r.getSource(), r.getPolicy() == null ? null : policy(r.getPolicy()));
      } else if (f.getFact() instanceof ZoneRemoved r) {
        fact = new ZoneFact.Removed(r.getReason());
      } else {
        return null;
      }
      return incoming(f.getZone(), f.getMetadata(), fact);
    }
    if (value instanceof UnsignedVersionFact f) {
      ZoneFact fact;
      if (f.getFact() instanceof ZoneVersionLoaded l) {
        fact = new ZoneFact.Loaded(l.getVersionId(), l.getSerial(), l.getByteCount(),
            l.getContent().getRecordCount(), List.copyOf(l.getWarnings()), l.getContent().getDigest(),
            l.getTransfer());
      } else if (f.getFact() instanceof ZoneLoadFailed l) {
        fact = new ZoneFact.LoadFailed(l.getFile(), l.getLine(), l.getReason(), l.getCause());
      } else {
        return null;
      }
      return incoming(f.getZone(), f.getMetadata(), fact);
    }
    if (value instanceof ZoneVersionReviewed r) {
      return incoming(r.getZone(), r.getMetadata(), new ZoneFact.Reviewed(
          GateStage.valueOf(r.getStage().name()), r.getVersionId(), r.getSerial(),
          r.getDecision() == dev.cascade.events.v1.ReviewDecision.APPROVED, r.getReviewer(), r.getNote(),
          r.getOverride()));
    }
    if (value instanceof ZoneHaltFact f) {
      ZoneFact fact;
      if (f.getFact() instanceof ZoneHalted h) {
        fact = new ZoneFact.Halted(h.getReason(), h.getDecidedBy());
      } else if (f.getFact() instanceof ZoneResumed r) {
        fact = new ZoneFact.Resumed(r.getDecidedBy());
      } else if (f.getFact() instanceof ZoneReset r) {
        fact = new ZoneFact.Reset(r.getDecidedBy(), r.getVersionId());
      } else {
        return null;
      }
      return incoming(f.getZone(), f.getMetadata(), fact);
    }
    if (value instanceof KeySetChanged k) {
      List<ZoneState.KeyInfo> keys = k.getKeys().stream().map(EventMapping::key).toList();
      Map<String, Integer> tags = new HashMap<>();
      k.getKeys().forEach(key -> tags.put(key.getReference(), key.getKeyTag()));
      List<ZoneState.RollInfo> rolls = k.getRolls().stream().map(roll -> new ZoneState.RollInfo(roll.getRollType(),
          roll.getNewKeys().stream().map(tags::get).toList(), roll.getOldKeys().stream().map(tags::get).toList(),
          roll.getPhase(), roll.getStage().name(), roll.getSince(), roll.getTtlSeconds())).toList();
      return incoming(k.getZone(), k.getMetadata(),
          new ZoneFact.KeysChanged(k.getDnskeyTtl(), keys, rolls, k.getMetadata().getCausationId()));
    }
    if (value instanceof KeysetCommandGiven c) {
      return incoming(c.getZone(), c.getMetadata(),
          new ZoneFact.KeysetCommand(c.getMetadata().getEventId(), wording(c)));
    }
    if (value instanceof DsSubmissionFact f) {
      if (f.getFact() instanceof ParentDsChangeRequested r) {
        return incoming(f.getZone(), f.getMetadata(), new ZoneFact.DsChangeRequested(f.getMetadata().getEventId(),
            r.getParent(), List.copyOf(r.getDs()), List.copyOf(r.getAdd()), List.copyOf(r.getRemove()),
            r.getCause(), r.getHook() != null));
      }
      if (f.getFact() instanceof DsSubmissionHookCompleted c) {
        return incoming(f.getZone(), f.getMetadata(), new ZoneFact.DsHookCompleted(c.getRequestEventId(),
            c.getExitCode(), c.getOutput(), c.getOutcome()));
      }
      return null;
    }
    if (value instanceof SignedVersionFact f) {
      ZoneFact fact;
      if (f.getFact() instanceof ZoneVersionSigned s) {
        var st = s.getStats();
        fact = new ZoneFact.Signed(s.getVersionId(), s.getUnsignedSerial(), s.getSignedSerial(),
            new ZoneState.SigningReport(st.getUnsignedRrCount(), st.getDenialRrCount(), st.getRrsigCount(),
                st.getReusedRrsigCount(), st.getStartedAt(), st.getFinishedAt(), st.getThreads()),
            SigningCause.valueOf(s.getTrigger().name()), s.getContent().getDigest(), s.getUnsignedVersionId(),
            s.getRefreshDueAt());
      } else if (f.getFact() instanceof ZoneSigningFailed s) {
        fact = new ZoneFact.SigningFailed(s.getVersionId(), s.getUnsignedSerial(), s.getReason());
      } else {
        return null;
      }
      return incoming(f.getZone(), f.getMetadata(), fact);
    }
    if (value instanceof EventDeadLettered d) {
      return incoming(d.getZone(), d.getMetadata(), new ZoneFact.SetAside(d.getMetadata().getProducer(),
          d.getTopic(), d.getPartition(), d.getOffset(), d.getEventType(), d.getReason(), d.getAttempts(),
          d.getMetadata().getCausationId()));
    }
    if (value instanceof ZoneNotifiesSent n) {
      return incoming(n.getZone(), n.getMetadata(), new ZoneFact.NotifiesSent(n.getSerial(), n.getPublisherInstance(),
          n.getNotifies().stream().map(EventMapping::notifyWording).toList()));
    }
    if (value instanceof ZoneVersionPublished p) {
      return incoming(p.getZone(), p.getMetadata(), new ZoneFact.Published(p.getVersionId(), p.getUnsignedSerial(),
          p.getSignedSerial(), p.getRecordCount(), p.getMetadata().getOccurredAt(), p.getPublisherInstance()));
    }
    return null;
  }

  /** One secondary's NOTIFY as history shows it: {@code 192.0.2.1:53 answered NOERROR after 2 sends}. */
  static String notifyWording(NotifySent n) {
    String sends = n.getSends() + (n.getSends() == 1 ? " send" : " sends");
    return n.getTarget() + " " + switch (n.getOutcome()) {
      case "answered" -> "answered " + n.getRcode() + " after " + sends;
      case "unanswered" -> "unanswered after " + sends;
      case "unsent" -> "not sent: no TSIG key";
      case "superseded" -> "superseded by a newer serial after " + sends;
      default -> n.getOutcome() + " after " + sends;
    };
  }

  private static Incoming incoming(String zone, EventMetadata m, ZoneFact fact) {
    return new Incoming(zone, m.getEventId(), m.getOccurredAt(), fact);
  }

  /** A keyset command as the operator gave it: {@code zsk propagation1-complete 3600}, {@code remove-key --force x}. */
  static String wording(KeysetCommandGiven command) {
    if (command.getFact() instanceof KeyRollStepRequested step) {
      return step.getVariant() + " " + step.getStep()
          + (step.getTtlSeconds() == null ? "" : " " + step.getTtlSeconds());
    }
    KeyRemovalRequested removal = (KeyRemovalRequested) command.getFact();
    return "remove-key" + (removal.getForce() ? " --force" : "") + (removal.getContinueRoll() ? " --continue" : "")
        + " " + removal.getKey();
  }

  private static ZoneState.KeyInfo key(ZoneKey k) {
    // Only public facts about the key; the wrapped private key is deliberately dropped here.
    KeyUse use = k.getUse();
    return new ZoneState.KeyInfo(k.getKeyTag(), k.getRole().name(), k.getAlgorithm(), k.getFlags(),
        k.getReference(), k.getCreatedAt(), k.getExpiresAt(), use == null ? null
            : new ZoneState.KeyUse(use.getPublished(), use.getSignsKeys(), use.getSignsZone(), use.getAtParent()),
        k.getPublicKey());
  }

  /** A progress report from any of the three progress topics. */
  static StepProgress progress(StepProgressed p) {
    return new StepProgress(p.getVersionId(), ProgressStep.valueOf(p.getStep().name()),
        p.getPhase().name().toLowerCase(Locale.ROOT), p.getDone(), p.getTotal(),
        p.getUnit().name().toLowerCase(Locale.ROOT), p.getMetadata().getOccurredAt());
  }

  /** Checked, wrapped imported keys → {@code ZoneAdded.importedKeys}. */
  static List<ImportedKey> importedKeys(List<KeyImports.Sealed> keys) {
    return keys.stream().map(k -> ImportedKey.newBuilder()
        .setRole(k.role().name())
        .setFile(k.file())
        .setDnskey(k.dnskey())
        .setWrappedPrivateKey(k.wrappedPrivateKey() == null ? null : ByteBuffer.wrap(k.wrappedPrivateKey()))
        .setPrivateKeyUri(k.privateKeyUri())
        .setRollPosition(k.rollPosition() == null ? null : RollPosition.newBuilder()
            .setPart(k.rollPosition().part())
            .setPublished(k.rollPosition().published())
            .setSignsKeys(k.rollPosition().signsKeys())
            .setSignsZone(k.rollPosition().signsZone())
            .setAtParent(k.rollPosition().atParent())
            .build())
        .build()).toList();
  }

  /** Domain policy → the snapshot carried in {@code ZoneAdded} and {@code ZoneReloadRequested}. */
  static PolicySnapshot snapshot(Policy p) {
    return PolicySnapshot.newBuilder()
        .setName(p.name())
        .setUnsignedReview(reviewMode(p.unsignedReview()))
        .setSignedReview(reviewMode(p.signedReview()))
        .setUnsignedReviewHook(p.reviews().unsignedHook())
        .setSignedReviewHook(p.reviews().signedHook())
        .setApproveReSigning(p.reviews().approveReSigning())
        .setUnsignedHaltOnReject(p.reviews().unsignedHaltOnReject())
        .setSignedHaltOnReject(p.reviews().signedHaltOnReject())
        .setFourEyes(p.reviews().fourEyes())
        .setAlgorithm(p.algorithm())
        .setUseCsk(p.useCsk())
        .setKskValiditySeconds(p.kskValidity().getSeconds())
        .setZskValiditySeconds(p.zskValidity().getSeconds())
        .setCskValiditySeconds(p.cskValidity().getSeconds())
        .setKskRollType(p.keyRolls().kskRollType().name())
        .setZskRollType(p.keyRolls().zskRollType().name())
        .setKskAutomation(automation(p.keyRolls().ksk()))
        .setZskAutomation(automation(p.keyRolls().zsk()))
        .setCskAutomation(automation(p.keyRolls().csk()))
        .setAlgorithmAutomation(automation(p.keyRolls().algorithm()))
        .setPublicationNameservers(p.keyRolls().checks().publicationNameservers())
        .setParentNameservers(p.keyRolls().checks().parentNameservers())
        .setAutoRemove(p.keyRolls().autoRemove())
        .setAutoRemoveDelaySeconds(p.keyRolls().autoRemoveDelay().getSeconds())
        .setDnskeyTtlSeconds(p.dnskeyTtl().getSeconds())
        .setSerialPolicy(SerialPolicyKind.valueOf(p.serialPolicy().name()))
        .setSignatureInceptionOffsetSeconds(p.signatureInceptionOffset().getSeconds())
        .setSignatureLifetimeSeconds(p.signatureLifetime().getSeconds())
        .setSignatureRemainTimeSeconds(p.signatureRemainTime().getSeconds())
        .setSignatureRefreshIntervalSeconds(p.signatureRefreshInterval().getSeconds())
        .setDenial(DenialKind.valueOf(p.denial().name()))
        .setNsec3OptOut(p.nsec3OptOut())
        .setNsec3Iterations(p.nsec3Iterations())
        .setNsec3Salt(p.nsec3Salt())
        .setCdsPublication(p.parent().cds().word())
        .setDsAlgorithm(p.parent().dsAlgorithm().word())
        .setDsSubmitHook(p.parent().dsSubmitHook())
        .setHsmServerId(p.hsmServerId())
        .build();
  }

  private static dev.cascade.events.v1.RollAutomation automation(RollAutomation a) {
    return new dev.cascade.events.v1.RollAutomation(a.start(), a.report(), a.expire(), a.done());
  }

  private static RollAutomation automation(dev.cascade.events.v1.RollAutomation a) {
    return new RollAutomation(a.getStart(), a.getReport(), a.getExpire(), a.getDone());
  }

  /** The snapshot in a {@code ZoneAdded} or {@code ZoneReloadRequested} → domain policy. */
  static Policy policy(PolicySnapshot s) {
    return new Policy(
        s.getName(),
        reviewMode(s.getUnsignedReview(), s.getUnsignedReviewHook()),
        reviewMode(s.getSignedReview(), s.getSignedReviewHook()),
        s.getAlgorithm(),
        s.getUseCsk(),
        Duration.ofSeconds(s.getKskValiditySeconds()),
        Duration.ofSeconds(s.getZskValiditySeconds()),
        Duration.ofSeconds(s.getCskValiditySeconds()),
        new KeyRolls(RollMethod.valueOf(s.getKskRollType()), RollMethod.valueOf(s.getZskRollType()),
            automation(s.getKskAutomation()), automation(s.getZskAutomation()), automation(s.getCskAutomation()),
            automation(s.getAlgorithmAutomation()),
            new PropagationChecks(s.getPublicationNameservers(), s.getParentNameservers()), s.getAutoRemove(),
            Duration.ofSeconds(s.getAutoRemoveDelaySeconds())),
        Duration.ofSeconds(s.getDnskeyTtlSeconds()),
        SerialPolicy.valueOf(s.getSerialPolicy().name()),
        Duration.ofSeconds(s.getSignatureInceptionOffsetSeconds()),
        Duration.ofSeconds(s.getSignatureLifetimeSeconds()),
        Duration.ofSeconds(s.getSignatureRemainTimeSeconds()),
        Duration.ofSeconds(s.getSignatureRefreshIntervalSeconds()),
        DenialType.valueOf(s.getDenial().name()),
        s.getNsec3OptOut(),
        s.getNsec3Iterations(),
        s.getNsec3Salt(),
        new ParentSettings(CdsPublication.fromWord(s.getCdsPublication()), DsDigest.fromWord(s.getDsAlgorithm()),
            s.getDsSubmitHook()),
        new ReviewSettings(s.getUnsignedReviewHook(), s.getSignedReviewHook(), s.getApproveReSigning(),
            s.getUnsignedHaltOnReject(), s.getSignedHaltOnReject(), s.getFourEyes()),
        s.getHsmServerId());
  }

  /**
   * A gate's mode as the snapshot carries it: {@code script} as MANUAL, with its hook in a field of its own, so that a
   * reader older than hooks has the version wait for a person (PolicySnapshot.unsignedReviewHook).
   */
  private static dev.cascade.events.v1.ReviewMode reviewMode(GateMode mode) {
    return mode == GateMode.OFF ? dev.cascade.events.v1.ReviewMode.OFF : dev.cascade.events.v1.ReviewMode.MANUAL;
  }

  private static GateMode reviewMode(dev.cascade.events.v1.ReviewMode mode, String hook) {
    return hook != null ? GateMode.SCRIPT : GateMode.valueOf(mode.name());
  }
}
