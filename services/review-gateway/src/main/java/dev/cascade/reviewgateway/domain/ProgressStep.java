package dev.cascade.reviewgateway.domain;

import java.util.Locale;

/**
 * A long step of the pipeline whose progress is reported (issue 8), and where the zone stands while it runs: the
 * loader's load, the signer's signing, the publisher's reading of the signed version it publishes (the reference's
 * "persist signed zone", cascade-reference.md §1.4). The domain copy of the events' {@code PipelineStep}.
 */
public enum ProgressStep {
  LOAD(ZoneProgress.LOADING),
  SIGN(ZoneProgress.SIGNING),
  PUBLISH(ZoneProgress.PERSISTING_SIGNED_ZONE);

  private final ZoneProgress during;

  ProgressStep(ZoneProgress during) {
    this.during = during;
  }

  /** Where the zone stands while this step runs. */
  public ZoneProgress during() {
    return during;
  }

  /** The step whose progress a zone at {@code progress} may show, or null if it is in none. */
  public static ProgressStep at(ZoneProgress progress) {
    for (ProgressStep step : values()) {
      if (step.during == progress) {
        return step;
      }
    }
    return null;
  }

  /** The API's spelling: {@code load}, {@code sign}, {@code publish}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
