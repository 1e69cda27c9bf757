package dev.cascade.reviewgateway.domain;

import java.util.Locale;

/**
 * How a review gate decides (cascade-reference.md §2). The reference also has {@code script} (a hook command); this
 * service does not run hooks, so a policy asking for one is refused rather than silently treated as manual.
 */
public enum ReviewMode {
  /** The gate approves every version itself (reviewer "policy"). */
  OFF,
  /** The version waits for {@code cascade zone approve|reject}. */
  MANUAL;

  /** Lower-case word used in policy files, the API and the CLI ("off", "manual"). */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
