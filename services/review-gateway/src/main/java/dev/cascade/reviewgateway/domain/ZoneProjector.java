package dev.cascade.reviewgateway.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.xbill.DNS.Serial;

/**
 * Applies one pipeline fact to a zone's state: moves the progress along the reference's state machine
 * (cascade-reference.md §1.3, see {@link ZoneProgress}), writes history lines in the reference CLI's wording (§1.4)
 * and runs the two review gates. Deterministic: it updates the state it is given in place, but what it makes depends on
 * (state, fact, time) alone, with no clock or I/O of its own, so replaying the topics rebuilds the same projection.
 *
 * <p>Halts ({@link ZoneHalts}): a rejection under {@code on-reject = "halt"} stops the zone at the gate, the
 * operator's {@code zone halt} holds it where it is; while halted the gates make no decision and start no hook.
 *
 * <p>Review gates: when a version reaches a gate whose policy mode is {@code off}, the gate approves it at once
 * (reviewer "policy", design step 4/6) and the zone moves on without waiting for its own approval event to come
 * back; with {@code manual} it stays at the gate until an operator decision arrives; with {@code script} it stays there
 * too, and the outcome names the hook to run ({@link ReviewHookDue}), once per version.
 */
public final class ZoneProjector {

  /** Result of one fact: the new state, history lines, gate approvals, review hooks to run. */
  public record Outcome(
      ZoneState state, List<HistoryEntry> history, List<GateDecision> decisions, List<ReviewHookDue> hooks) {}

  private ZoneProjector() {}

  /**
   * Applies {@code fact}, which occurred at {@code at}, to {@code state} (mutated and returned; {@code null} when the
   * zone is unknown). A fact about a zone not added yet is held until its ZoneAdded; one about a removed zone is
   * dropped.
   */
  public static Outcome apply(String zone, ZoneState state, ZoneFact fact, Instant at) {
    List<HistoryEntry> history = new ArrayList<>();
    if (fact instanceof ZoneFact.Added added) {
      return added(zone, state, added, at);
    }
    if (state != null && state.removedAt != null) {
      // A late fact about a removed zone: nothing to show it on.
      return new Outcome(state, history, List.of(), List.of());
    }
    if (state == null || state.addedAt == null) {
      return held(zone, state, fact, at);
    }
    if (fact instanceof ZoneFact.Halted || fact instanceof ZoneFact.Resumed || fact instanceof ZoneFact.Reset) {
      haltDecision(state, fact, at, history);
    } else if (fact instanceof ZoneFact.ReloadRequested reload) {
      boolean newSource = !reload.source().equals(state.source);
      if (newSource) {
        history.add(new HistoryEntry(at, null, "Source set to " + reload.source()));
      }
      state.source = reload.source();
      if (reload.policy() != null) {
        history.add(new HistoryEntry(at, null, (reload.policy().name().equals(state.policy.name())
            ? "Policy '" + reload.policy().name() + "' reloaded" : "Policy set to '" + reload.policy().name() + "'")
            + ": in effect from the next version"));
        state.policy = reload.policy();
        if (!newSource || ZoneHalts.stoppedAtGate(state)) {
          // New settings for the same file: the loader reads it again, but an unchanged file makes no version and
          // announces nothing, so showing a load would leave the zone "loading" until its next change. A changed
          // file's version arrives as any other.
          return new Outcome(state, history, gates(state), hooks(state));
        }
      }
      if (ZoneHalts.stoppedAtGate(state)) {
        // A zone halted at a gate takes up no new version until the operator overrides or resets it (§1.3).
        return new Outcome(state, history, gates(state), hooks(state));
      }
      if (state.progress != ZoneProgress.LOADING) {
        state.progressBeforeLoad = state.progress;
      }
      state.progress = ZoneProgress.LOADING;
      state.loadRequestedAt = at;
      history.add(new HistoryEntry(at, null, "Started load"));
    } else if (fact instanceof ZoneFact.Removed) {
      history.add(new HistoryEntry(at, null, "Zone removed"));
      ZoneState removed = new ZoneState();
      removed.name = zone;
      removed.removedAt = at;
      return new Outcome(removed, history, List.of(), List.of());
    } else if (fact instanceof ZoneFact.LoadFailed failed) {
      String where = failed.file() == null ? "" : failed.file() + (failed.line() == null ? "" : ":" + failed.line()) + ": ";
      // A refresh from a primary names its kind of failure (refused, timeout, expired, ...), kept for an alert.
      where = failed.cause() == null ? where : where + failed.cause() + ": ";
      state.transferFailureCause = failed.cause();
      state.error = new ZoneState.ZoneError(where + failed.reason(), failed.file(), failed.line(), at);
      // Reference: Loading → Waiting on a failed load; the last good version stays published, and a version that
      // was waiting for a review before the reload still waits for it (a failed reload replaces nothing).
      if (state.progress == ZoneProgress.LOADING) {
        state.progress = state.progressBeforeLoad != null ? state.progressBeforeLoad : ZoneProgress.IDLE;
      }
      state.progressBeforeLoad = null;
      history.add(new HistoryEntry(at, null, "Loading failed: " + where + failed.reason()));
    } else if (fact instanceof ZoneFact.Loaded loaded && ZoneHalts.stoppedAtGate(state)) {
      // The halted version stays the one an override or a reset is about; this one is history only.
      history.add(new HistoryEntry(at, loaded.serial(), "New version received" + (loaded.transfer() == null ? ""
          : " by " + loaded.transfer()) + ": not taken up, the zone is " + state.progress.label()
          + " (reset it, then reload)"));
    } else if (fact instanceof ZoneFact.Loaded loaded) {
      state.progressBeforeLoad = null;
      state.unsignedVersionId = loaded.versionId();
      state.unsignedDigest = loaded.digest();
      state.unsignedSerial = loaded.serial();
      state.unsignedByteCount = loaded.byteCount();
      state.unsignedRecordCount = loaded.recordCount();
      state.loadedAt = at;
      state.loadWarnings = new ArrayList<>(loaded.warnings());
      if (loaded.transfer() != null) {
        state.lastTransferIn = new ZoneState.TransferIn(loaded.transfer(), loaded.serial(), at);
      }
      state.transferFailureCause = null;
      state.unsignedReviewStatus = ReviewStatus.PENDING;
      state.unsignedReviewer = null;
      state.signedVersionId = null;
      state.signedSerial = null;
      state.signedDigest = null;
      state.signingReport = null;
      state.signedReviewStatus = null;
      state.error = null;
      history.add(new HistoryEntry(at, loaded.serial(),
          "New version received" + (loaded.transfer() == null ? "" : " by " + loaded.transfer())));
      if (state.policy.unsignedReview() != GateMode.OFF) {
        state.progress = ZoneProgress.WAITING_FOR_LOADED_REVIEW;
        history.add(new HistoryEntry(at, loaded.serial(), "Unsigned zone review pending"));
      } else {
        state.progress = ZoneProgress.SIGNING;
      }
    } else if (fact instanceof ZoneFact.Reviewed reviewed) {
      applyReview(state, reviewed, at, history);
    } else if (fact instanceof ZoneFact.KeysetCommand command) {
      state.keysetCommands.add(new ZoneState.KeysetCommand(command.eventId(), command.command(), at));
      if (state.keysetCommands.size() > ZoneState.SET_ASIDE_KEPT) {
        state.keysetCommands.remove(0);
      }
      history.add(new HistoryEntry(at, null, "Keyset command '" + command.command() + "' given"));
    } else if (fact instanceof ZoneFact.KeysChanged keys) {
      answered(state, keys.cause()).ifPresent(command -> history.add(new HistoryEntry(at, null,
          "Keyset command '" + command.command() + "' succeeded")));
      state.dnskeyTtl = keys.dnskeyTtl();
      state.keys = new ArrayList<>(keys.keys());
      // Announcements from before key rolls carry none; a fact stored by an older gateway has null.
      state.rolls = keys.rolls() == null ? new ArrayList<>() : new ArrayList<>(keys.rolls());
      // An empty key set is the key manager retiring the keys of a zone being removed.
      history.add(new HistoryEntry(at, null, keys.keys().isEmpty() ? "Keys retired" : "Keys changed: "
          + keys.keys().stream().map(k -> k.role() + " tagged " + k.keyTag()).collect(Collectors.joining(", "))
          + state.rolls.stream().map(r -> "; " + r.variant() + " roll, next step " + r.nextStep())
              .collect(Collectors.joining())));
    } else if (fact instanceof ZoneFact.DsChangeRequested requested) {
      state.dsSubmission = new ZoneState.DsSubmission(requested.requestId(), requested.parent(), requested.ds(),
          requested.add(), requested.remove(), requested.cause(), at, requested.hook(), null, null, null, null);
      history.add(new HistoryEntry(at, null, "DS change requested of the parent " + requested.parent() + " ("
          + requested.cause() + "): " + requested.add().size() + " to add, " + requested.remove().size()
          + " to remove" + (requested.hook() ? "; submission hook started" : "; no submission hook, submit by hand")));
    } else if (fact instanceof ZoneFact.DsHookCompleted completed) {
      ZoneState.DsSubmission last = state.dsSubmission;
      // A run for an older request, which a newer one replaced, changes nothing shown.
      if (last != null && last.requestId().equals(completed.requestId())) {
        state.dsSubmission = new ZoneState.DsSubmission(last.requestId(), last.parent(), last.ds(), last.add(),
            last.remove(), last.cause(), last.requestedAt(), last.hook(), completed.exitCode(), completed.outcome(),
            completed.output(), at);
      }
      history.add(new HistoryEntry(at, null, "DS submission hook " + completed.outcome()));
    } else if (fact instanceof ZoneFact.Signed signed && signed.cause() == SigningCause.LOADED
        && !Long.valueOf(signed.unsignedSerial()).equals(state.unsignedSerial)) {
      // The signing of a loaded version that a newer load, of another serial, has replaced (approved just before it
      // came): history only, as a decision on a replaced version. Taken as the version under review, it would move the
      // zone to the signed gate while the newer version waits at the unsigned one, where nothing could approve it until
      // the next reload.
      history.add(new HistoryEntry(at, signed.signedSerial(),
          "Signing succeeded (triggered by " + signed.cause().wording() + ")"));
    } else if (fact instanceof ZoneFact.Signed signed
        && state.progress == ZoneProgress.HALTED_AFTER_SIGNED_REVIEW) {
      // The rejected version stays the one an override publishes; a re-signing of it is history only.
      history.add(new HistoryEntry(at, signed.signedSerial(), "Signing succeeded (triggered by "
          + signed.cause().wording() + "): not taken up, the zone is " + state.progress.label()));
    } else if (fact instanceof ZoneFact.Signed signed) {
      state.signedVersionId = signed.versionId();
      state.signedSerial = signed.signedSerial();
      state.signedDigest = signed.digest();
      state.signingReport = signed.report();
      state.signedReviewStatus = ReviewStatus.PENDING;
      state.signedCause = signed.cause();
      state.signedFromVersionId = signed.unsignedVersionId() == null ? signed.versionId() : signed.unsignedVersionId();
      state.signedExpiresAt = signed.refreshDueAt() == null ? null
          : signed.refreshDueAt().plus(state.policy.signatureRemainTime());
      state.error = null;
      history.add(new HistoryEntry(at, signed.signedSerial(),
          "Signing succeeded (triggered by " + signed.cause().wording() + ")"));
      ZoneProgress next = atSignedGate(state);
      if (next == ZoneProgress.WAITING_FOR_SIGNED_REVIEW || ZoneHalts.stoppedAtGate(state)) {
        history.add(new HistoryEntry(at, signed.signedSerial(), "Signed zone review pending"));
      }
      if (!ZoneHalts.stoppedAtGate(state)) {
        // Halted after the loaded review, the zone still tracks the re-signing the signer makes of the published
        // content, so that a reset sends it to review (the published signatures must not expire).
        state.progress = next;
      }
    } else if (fact instanceof ZoneFact.SigningFailed failed) {
      state.error = new ZoneState.ZoneError(failed.reason(), null, null, at);
      if (!ZoneHalts.stoppedAtGate(state)) {
        state.progress = ZoneProgress.SIGNING_FAILED;
      }
      history.add(new HistoryEntry(at, failed.unsignedSerial(), "Signing failed: " + failed.reason()));
    } else if (fact instanceof ZoneFact.SetAside aside) {
      state.setAside.add(new ZoneState.SetAsideEvent(aside.service(), aside.topic(), aside.partition(),
          aside.offset(), aside.eventType(), aside.reason(), aside.attempts(), at));
      if (state.setAside.size() > ZoneState.SET_ASIDE_KEPT) {
        state.setAside.remove(0);
      }
      Optional<ZoneState.KeysetCommand> refused = answered(state, aside.causationId());
      history.add(new HistoryEntry(at, null, refused.isPresent()
          ? "Keyset command '" + refused.get().command() + "' failed with error: " + aside.reason()
          : setAsideWording(aside)));
    } else if (fact instanceof ZoneFact.NotifiesSent sent) {
      history.add(new HistoryEntry(at, sent.serial(), "NOTIFY sent"
          + (sent.publisherInstance() == null ? "" : " by publisher " + sent.publisherInstance()) + ": "
          + String.join("; ", sent.notifies())));
    } else if (fact instanceof ZoneFact.Published published) {
      if (published.publisherInstance() != null) {
        served(state, published);
      }
      // Every publisher instance announces what it serves, and announces it again after a crash: the zone's last
      // publication is the first announcement of a version newer than it, once in history. A lagging instance's
      // announcement of an older version moves nothing back (serial order, RFC 1982: a publisher only publishes a
      // greater serial than the one it serves, as secondaries transfer only those, RFC 1034 §4.3.5).
      if (state.lastPublished == null || (!state.lastPublished.versionId().equals(published.versionId())
          && Serial.compare(published.signedSerial(), state.lastPublished.signedSerial()) > 0)) {
        boolean current = published.versionId().equals(state.signedVersionId);
        state.lastPublished = new ZoneState.LastPublished(published.versionId(), published.unsignedSerial(),
            published.signedSerial(), published.at(), published.recordCount(),
            current ? state.signedExpiresAt : null);
        state.publishedFromVersionId = current ? state.signedFromVersionId : null;
        history.add(new HistoryEntry(at, published.signedSerial(), "Published"));
        // The pipeline got past whatever was set aside before: no longer what holds the zone up.
        state.setAside.clear();
      }
      if (published.versionId().equals(state.signedVersionId)
          && state.progress == ZoneProgress.PERSISTING_SIGNED_ZONE) {
        state.progress = ZoneProgress.IDLE;
      }
    }
    return new Outcome(state, history, gates(state), hooks(state));
  }

  /** The keyset command that {@code causationId} answers, taken off the zone's unanswered ones; empty if none. */
  private static Optional<ZoneState.KeysetCommand> answered(ZoneState state, String causationId) {
    Optional<ZoneState.KeysetCommand> command =
        state.keysetCommands.stream().filter(c -> c.eventId().equals(causationId)).findFirst();
    command.ifPresent(state.keysetCommands::remove);
    return command;
  }

  /**
   * Records that {@code published.publisherInstance()} serves the version, replacing what it served before; an
   * announcement made again keeps the time of the first.
   */
  private static void served(ZoneState state, ZoneFact.Published published) {
    String instance = published.publisherInstance();
    Optional<ZoneState.Served> before =
        state.servedBy.stream().filter(served -> served.instance().equals(instance)).findFirst();
    if (before.isPresent() && before.get().versionId().equals(published.versionId())) {
      return;
    }
    state.servedBy.removeIf(served -> served.instance().equals(instance));
    state.servedBy.add(new ZoneState.Served(instance, published.versionId(), published.signedSerial(), published.at()));
    state.servedBy.sort(Comparator.comparing(ZoneState.Served::instance));
  }

  /**
   * A new zone (or a removed one added again), then the facts held for it in the order they arrived: their history
   * lines and gate approvals are the outcome's too.
   */
  private static Outcome added(String zone, ZoneState before, ZoneFact.Added added, Instant at) {
    ZoneState s = new ZoneState();
    s.name = zone;
    s.policy = added.policy();
    s.source = added.source();
    s.addedAt = at;
    // The loader starts loading as soon as it sees the zone added (design step 2).
    s.progress = ZoneProgress.LOADING;
    s.loadRequestedAt = at;
    List<HistoryEntry> history = new ArrayList<>();
    history.add(new HistoryEntry(at, null, "Zone added"));
    List<GateDecision> decisions = new ArrayList<>();
    List<ReviewHookDue> hooks = new ArrayList<>();
    if (before != null && before.addedAt == null) {
      for (ZoneState.HeldFact h : before.held) {
        Outcome o = apply(zone, s, h.fact(), h.at());
        s = o.state();
        history.addAll(o.history());
        decisions.addAll(o.decisions());
        hooks.addAll(o.hooks());
      }
    }
    return new Outcome(s, history, decisions, hooks);
  }

  /** Holds a fact about a zone not added yet ({@link ZoneState#held}), dropping the oldest beyond the limit. */
  private static Outcome held(String zone, ZoneState state, ZoneFact fact, Instant at) {
    ZoneState s = state != null ? state : new ZoneState();
    s.name = zone;
    s.held.add(new ZoneState.HeldFact(fact, at));
    if (s.held.size() > ZoneState.HELD_KEPT) {
      s.held.remove(0);
    }
    return new Outcome(s, List.of(), List.of(), List.of());
  }

  private static String setAsideWording(ZoneFact.SetAside aside) {
    String what = aside.eventType() == null ? "A record that could not be decoded" : "Event " + aside.eventType();
    String tries = aside.attempts() == 0 ? "" : " after " + aside.attempts() + " attempt(s)";
    return what + " (" + aside.topic() + " partition " + aside.partition() + " offset " + aside.offset()
        + ") set aside by " + aside.service() + tries + ": " + aside.reason();
  }

  private static void applyReview(ZoneState state, ZoneFact.Reviewed r, Instant at, List<HistoryEntry> history) {
    if (r.override()) {
      overridden(state, r, at, history);
      return;
    }
    // A person's decision names them; the services' own (reviewer "policy" or "hook") say why in the note instead.
    boolean person = !GateDecision.AUTOMATIC_REVIEWERS.contains(r.reviewer());
    String verdict = (r.approved() ? "approved" : "rejected") + (person ? " by " + r.reviewer() : "")
        + (r.note() == null ? "" : ": " + r.note());
    if (r.stage() == GateStage.UNSIGNED) {
      history.add(new HistoryEntry(at, r.serial(), "Unsigned zone review " + verdict));
      if (!r.versionId().equals(state.unsignedVersionId)) {
        return; // a decision on a version that a newer load already replaced
      }
      if (state.unsignedReviewStatus != ReviewStatus.PENDING && ReviewHookDue.REVIEWER.equals(r.reviewer())) {
        return; // a hook that ran again after a restart, on a version decided since: its say is history only
      }
      state.unsignedReviewStatus = r.approved() ? ReviewStatus.APPROVED : ReviewStatus.REJECTED;
      state.unsignedReviewer = r.reviewer();
      if (state.progress == ZoneProgress.WAITING_FOR_LOADED_REVIEW) {
        if (!r.approved() && state.policy.reviews().unsignedHaltOnReject()) {
          halted(state, HaltCause.LOADED_REVIEW, ZoneProgress.HALTED_AFTER_LOADED_REVIEW, r, verdict,
              state.unsignedDigest, at, history);
        } else {
          // Reject = the reference's default on-reject "discard" (a soft halt): back to waiting, version dropped.
          state.progress = r.approved() ? ZoneProgress.SIGNING : ZoneProgress.IDLE;
        }
      }
    } else {
      history.add(new HistoryEntry(at, r.serial(), "Signed zone review " + verdict));
      if (!r.versionId().equals(state.signedVersionId)) {
        return;
      }
      if (state.signedReviewStatus != ReviewStatus.PENDING && ReviewHookDue.REVIEWER.equals(r.reviewer())) {
        return;
      }
      state.signedReviewStatus = r.approved() ? ReviewStatus.APPROVED : ReviewStatus.REJECTED;
      if (state.progress == ZoneProgress.WAITING_FOR_SIGNED_REVIEW) {
        if (!r.approved() && state.policy.reviews().signedHaltOnReject()) {
          halted(state, HaltCause.SIGNED_REVIEW, ZoneProgress.HALTED_AFTER_SIGNED_REVIEW, r, verdict,
              state.signedDigest, at, history);
        } else {
          state.progress = r.approved() ? ZoneProgress.PERSISTING_SIGNED_ZONE : ZoneProgress.IDLE;
        }
      }
    }
  }

  /** A rejection under {@code on-reject = "halt"}: the zone stops at the gate with the version (§1.3). */
  private static void halted(
      ZoneState state, HaltCause cause, ZoneProgress progress, ZoneFact.Reviewed r, String verdict, String digest,
      Instant at, List<HistoryEntry> history) {
    state.progress = progress;
    state.halt = new ZoneState.Halt(cause, (r.stage() == GateStage.UNSIGNED ? "Unsigned" : "Signed")
        + " zone review " + verdict, r.reviewer(), at, r.versionId(), r.serial(), digest);
    history.add(new HistoryEntry(at, r.serial(), "Zone halted: " + cause.wording() + " by " + r.reviewer()
        + " (on-reject = \"halt\"); run " + String.join(" or ", ZoneHalts.recovery(state.name, cause))));
  }

  /**
   * {@code cascade zone override}: the rejected version goes on as if approved, and the halt ends. An override of a
   * version that is not the halted one (replayed after a reset, say) is history only.
   */
  private static void overridden(ZoneState state, ZoneFact.Reviewed r, Instant at, List<HistoryEntry> history) {
    boolean unsigned = r.stage() == GateStage.UNSIGNED;
    history.add(new HistoryEntry(at, r.serial(), (unsigned ? "Unsigned" : "Signed") + " zone review overridden by "
        + r.reviewer() + ": the rejected version goes on"));
    ZoneState.Halt halt = state.halt;
    if (halt == null || !r.versionId().equals(halt.versionId())
        || halt.cause() != (unsigned ? HaltCause.LOADED_REVIEW : HaltCause.SIGNED_REVIEW)) {
      return;
    }
    state.halt = null;
    if (unsigned) {
      state.unsignedReviewStatus = ReviewStatus.APPROVED;
      state.progress = ZoneProgress.SIGNING;
    } else {
      state.signedReviewStatus = ReviewStatus.APPROVED;
      state.progress = ZoneProgress.PERSISTING_SIGNED_ZONE;
    }
  }

  /** The operator's halt, resume and reset ({@code ZoneHaltFact}), each applied only where it is legal. */
  private static void haltDecision(ZoneState state, ZoneFact fact, Instant at, List<HistoryEntry> history) {
    if (fact instanceof ZoneFact.Halted h) {
      history.add(new HistoryEntry(at, null, "Zone halted by " + h.by() + ": " + h.reason()));
      if (ZoneHalts.refusal(state, ZoneHalts.Command.HALT).isEmpty()) {
        state.halt = new ZoneState.Halt(HaltCause.OPERATOR, h.reason(), h.by(), at, null, null, null);
      }
    } else if (fact instanceof ZoneFact.Resumed r) {
      history.add(new HistoryEntry(at, null, "Zone resumed by " + r.by()));
      if (ZoneHalts.refusal(state, ZoneHalts.Command.RESUME).isEmpty()) {
        state.halt = null;
      }
    } else if (fact instanceof ZoneFact.Reset r) {
      Optional<ZoneState.Halt> halt = ZoneHalts.current(state);
      history.add(new HistoryEntry(at, halt.map(ZoneState.Halt::serial).orElse(null), "Zone reset by " + r.by()
          + halt.map(h -> " (" + h.cause().wording() + "): the version is dropped").orElse("")));
      if (halt.isEmpty() || ZoneHalts.refusal(state, ZoneHalts.Command.RESET).isPresent()) {
        return;
      }
      // A re-signing of the published content that arrived during a halt after the loaded review goes to the signed
      // gate, so the published signatures are still renewed; otherwise the zone waits for its next version.
      state.progress = state.progress == ZoneProgress.HALTED_AFTER_LOADED_REVIEW
          && state.signedReviewStatus == ReviewStatus.PENDING ? atSignedGate(state) : ZoneProgress.IDLE;
      if (halt.get().cause() == HaltCause.SIGNING_FAILED) {
        state.error = null;
      }
      state.halt = null;
    }
  }

  /** Where a signed version pending review puts the zone: at the signed gate, or past it if the gate approves it. */
  private static ZoneProgress atSignedGate(ZoneState state) {
    return signedGateApprovesItself(state) ? ZoneProgress.PERSISTING_SIGNED_ZONE
        : ZoneProgress.WAITING_FOR_SIGNED_REVIEW;
  }

  /** The hooks due for the current versions at gates whose review mode is {@code script}, each once per version. */
  private static List<ReviewHookDue> hooks(ZoneState s) {
    List<ReviewHookDue> out = new ArrayList<>();
    if (ZoneHalts.holding(s)) {
      return out;
    }
    for (ReviewHookDue due : waitingHooks(s)) {
      if (due.stage() == GateStage.UNSIGNED && !due.versionId().equals(s.unsignedHookVersion)) {
        s.unsignedHookVersion = due.versionId();
        out.add(due);
      } else if (due.stage() == GateStage.SIGNED && !due.versionId().equals(s.signedHookVersion)) {
        s.signedHookVersion = due.versionId();
        out.add(due);
      }
    }
    return out;
  }

  /**
   * The hook of the gate {@code s}'s version waits at, if that gate's review mode is {@code script}, whether or not it
   * ran already: what a restart runs again.
   */
  public static List<ReviewHookDue> waitingHooks(ZoneState s) {
    if (ZoneHalts.holding(s)) {
      return List.of();
    }
    if (s.progress == ZoneProgress.WAITING_FOR_LOADED_REVIEW && s.policy.unsignedReview() == GateMode.SCRIPT) {
      return List.of(new ReviewHookDue(s.name, GateStage.UNSIGNED, s.unsignedVersionId, s.unsignedSerial,
          s.unsignedDigest, s.policy.reviews().unsignedHook()));
    }
    if (s.progress == ZoneProgress.WAITING_FOR_SIGNED_REVIEW && s.policy.signedReview() == GateMode.SCRIPT) {
      return List.of(new ReviewHookDue(s.name, GateStage.SIGNED, s.signedVersionId, s.signedSerial, s.signedDigest,
          s.policy.reviews().signedHook()));
    }
    return List.of();
  }

  /**
   * Whether the signed gate approves the current signed version itself: its review is off, or the version is a
   * re-signing (signature refresh, key change) of the very content published last and the policy approves those
   * ({@link ReviewSettings#approveReSigning}). Content a reviewer never passed, or that the last publication did not
   * carry, always goes to review.
   */
  private static boolean signedGateApprovesItself(ZoneState s) {
    return s.policy.signedReview() == GateMode.OFF
        || (s.policy.reviews().approveReSigning() && s.signedCause != SigningCause.LOADED
            && s.signedFromVersionId != null && s.signedFromVersionId.equals(s.publishedFromVersionId));
  }

  /** Approvals the gates owe for the current versions under a policy with that review off, each made once. */
  private static List<GateDecision> gates(ZoneState s) {
    List<GateDecision> out = new ArrayList<>();
    if (ZoneHalts.holding(s)) {
      return out; // a halted zone's gates decide nothing until the operator acts
    }
    if (s.policy.unsignedReview() == GateMode.OFF
        && s.unsignedReviewStatus == ReviewStatus.PENDING
        && !s.unsignedVersionId.equals(s.unsignedGateApprovedVersion)) {
      s.unsignedGateApprovedVersion = s.unsignedVersionId;
      out.add(new GateDecision(s.name, GateStage.UNSIGNED, s.unsignedVersionId, s.unsignedSerial, s.unsignedDigest));
    }
    if (signedGateApprovesItself(s)
        && s.signedReviewStatus == ReviewStatus.PENDING
        && !s.signedVersionId.equals(s.signedGateApprovedVersion)) {
      s.signedGateApprovedVersion = s.signedVersionId;
      out.add(new GateDecision(s.name, GateStage.SIGNED, s.signedVersionId, s.signedSerial, s.signedDigest));
    }
    return out;
  }
}
