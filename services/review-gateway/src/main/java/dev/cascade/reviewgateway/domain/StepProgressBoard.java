package dev.cascade.reviewgateway.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The latest progress of the long steps of each zone (issue 8: "zone status shows the progress of long steps"), as
 * the loader, the signer and the publisher report it, and which of it a zone's status shows: only the progress of the
 * step the zone is in, for the version the zone is at in it. A step's progress is forgotten when its fact arrives.
 *
 * <p>Kept in memory only, unlike the projection: progress is throw-away (a report is replaced a second later), so it
 * is neither stored nor rebuilt by a replay, and it does not survive a restart of review-gateway; a step still running
 * then shows its progress again from its next report. Thread-safe: reports, facts and status requests arrive on
 * different threads, each touching one zone for a moment.
 */
public final class StepProgressBoard {

  /**
   * A report older than this is not shown: its step ended without a fact that says so (a reload of an unchanged file
   * is no new version and announces nothing), or its service stopped. Thirty reports at the services' one-second
   * interval, room for the stretches of a step that count nothing (sorting and digesting a loaded zone); no official
   * reference.
   */
  public static final Duration STALE_AFTER = Duration.ofSeconds(30);

  /** Per zone, the latest report per (step, version). */
  private final Map<String, List<StepProgress>> byZone = new HashMap<>();

  /** Keeps {@code report} as the latest of its step and version of {@code zone}. */
  public synchronized void report(String zone, StepProgress report) {
    List<StepProgress> reports = byZone.computeIfAbsent(zone, z -> new ArrayList<>());
    Instant oldest = report.reportedAt().minus(STALE_AFTER);
    reports.removeIf(r -> r.reportedAt().isBefore(oldest)
        || (r.step() == report.step() && r.versionId().equals(report.versionId())));
    reports.add(report);
  }

  /**
   * Forgets the progress of the step that {@code fact} ends or restarts: a load on a new version or a failed load
   * (and on a new load asked for), a signing on its signed version or its failure, the publish step on a publication;
   * everything on the zone's removal.
   */
  public synchronized void factApplied(String zone, ZoneFact fact) {
    List<StepProgress> reports = byZone.get(zone);
    if (reports == null) {
      return;
    }
    if (fact instanceof ZoneFact.Removed) {
      byZone.remove(zone);
    } else if (fact instanceof ZoneFact.Added || fact instanceof ZoneFact.ReloadRequested
        || fact instanceof ZoneFact.Loaded || fact instanceof ZoneFact.LoadFailed) {
      reports.removeIf(r -> r.step() == ProgressStep.LOAD);
    } else if (fact instanceof ZoneFact.Signed || fact instanceof ZoneFact.SigningFailed) {
      reports.removeIf(r -> r.step() == ProgressStep.SIGN);
    } else if (fact instanceof ZoneFact.Published) {
      reports.removeIf(r -> r.step() == ProgressStep.PUBLISH);
    }
  }

  /**
   * The progress {@code state}'s status shows at {@code now}: the latest report that is not stale, of the step the
   * zone is in, for the version the zone is at in it. A load makes a version the projection does not know yet, so any
   * version but the last loaded one; a signing of a loaded version keeps its id; the publish step publishes the signed
   * version. A re-signing (keys changed, signature refresh) leaves the zone idle until its signed version arrives, so
   * its signing progress is not shown.
   */
  public synchronized Optional<StepProgress> current(ZoneState state, Instant now) {
    ProgressStep step = ProgressStep.at(state.progress);
    List<StepProgress> reports = byZone.get(state.name);
    if (step == null || reports == null) {
      return Optional.empty();
    }
    Instant oldest = now.minus(STALE_AFTER);
    return reports.stream()
        .filter(r -> r.step() == step && !r.reportedAt().isBefore(oldest) && ofCurrentVersion(state, r))
        .max(Comparator.comparing(StepProgress::reportedAt));
  }

  private static boolean ofCurrentVersion(ZoneState state, StepProgress r) {
    return switch (r.step()) {
      case LOAD -> !r.versionId().equals(state.unsignedVersionId);
      case SIGN -> r.versionId().equals(state.unsignedVersionId);
      case PUBLISH -> r.versionId().equals(state.signedVersionId);
    };
  }
}
