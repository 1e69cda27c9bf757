package dev.cascade.reviewgateway.domain;

import java.util.Locale;

/** How a review gate decides (cascade-reference.md §2). */
public enum GateMode {
  /** The gate approves every version itself (reviewer "policy"). */
  OFF,
  /** The version waits for {@code cascade zone approve|reject}. */
  MANUAL,
  /**
   * The gate's hook decides: exit code 0 approves, any other rejects ({@link ReviewSettings}); until it has, the
   * version waits as under {@link #MANUAL}, and a person may decide first.
   */
  SCRIPT;

  /** Lower-case word used in policy files, the API and the CLI ("off", "manual", "script"). */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
