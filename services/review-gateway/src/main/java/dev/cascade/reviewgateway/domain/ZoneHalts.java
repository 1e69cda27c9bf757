package dev.cascade.reviewgateway.domain;

import java.util.List;
import java.util.Optional;

/**
 * The operator's commands on a halted zone and when each is legal, after the reference's state table
 * (cascade-reference.md §1.3):
 *
 * <pre>
 *   WAITING_FOR_LOADED_REVIEW ──reject (on-reject = "halt")──▶ HALTED_AFTER_LOADED_REVIEW ──override --unsigned──▶
 *     SIGNING
 *   WAITING_FOR_SIGNED_REVIEW ──reject (on-reject = "halt")──▶ HALTED_AFTER_SIGNED_REVIEW ──override --signed──▶
 *     publish
 *   SIGNING ──failed──▶ SIGNING_FAILED (cannot be overridden)
 *   HALTED_AFTER_LOADED_REVIEW | HALTED_AFTER_SIGNED_REVIEW | SIGNING_FAILED ──reset──▶ idle (the version dropped)
 *   any state not halted ──halt──▶ halted by the operator ──resume──▶ the same state
 * </pre>
 *
 * <p>{@code zone halt} and {@code zone resume} are our addition: the reference's nearest is maintenance mode. Without
 * {@code on-reject = "halt"} a rejection is the reference's soft halt: the version is dropped, the zone waits for the
 * next one, and nothing needs the operator. The API refuses an illegal command with the state named ({@link
 * #refusal}); the projector applies a legal one ({@link ZoneProjector}). Pure: no clock, no I/O.
 */
public final class ZoneHalts {

  /** An operator command on a zone's halt. */
  public enum Command {
    HALT,
    RESUME,
    RESET,
    OVERRIDE_UNSIGNED,
    OVERRIDE_SIGNED
  }

  /** Who a failed signing names as having halted the zone. */
  static final String SIGNER = "signer";

  private ZoneHalts() {}

  /** The hard halt in force: the recorded one, or the one a failed signing makes; empty when the zone is not halted. */
  public static Optional<ZoneState.Halt> current(ZoneState s) {
    if (s.halt != null) {
      return Optional.of(s.halt);
    }
    if (s.progress == ZoneProgress.SIGNING_FAILED) {
      return Optional.of(new ZoneState.Halt(HaltCause.SIGNING_FAILED,
          s.error == null ? HaltCause.SIGNING_FAILED.wording() : s.error.message(), SIGNER,
          s.error == null ? null : s.error.at(), s.unsignedVersionId, s.unsignedSerial, null));
    }
    return Optional.empty();
  }

  /** Whether the gates hold everything for the zone: a halt is recorded (a failed signing holds nothing new back). */
  static boolean holding(ZoneState s) {
    return s.halt != null;
  }

  /** Whether a rejection has the zone stopped at one of the two gates, where versions arriving are not taken up. */
  static boolean stoppedAtGate(ZoneState s) {
    return s.progress == ZoneProgress.HALTED_AFTER_LOADED_REVIEW
        || s.progress == ZoneProgress.HALTED_AFTER_SIGNED_REVIEW;
  }

  /** The status line: the progress, or for the operator's halt that and where the zone stood under it. */
  public static String label(ZoneState s) {
    return s.halt != null && s.halt.cause() == HaltCause.OPERATOR
        ? HaltCause.OPERATOR.wording() + " (" + s.progress.label() + ")" : s.progress.label();
  }

  /**
   * Why {@code command} is not legal for zone {@code s} now, naming the state it is in; empty when it is legal. The
   * wording follows the reference's errors ({@code NotHalted}: "Zone is not halted"; {@code NotRejected}).
   */
  public static Optional<String> refusal(ZoneState s, Command command) {
    Optional<ZoneState.Halt> halt = current(s);
    String state = label(s);
    if (command == Command.HALT) {
      return halt.map(h -> "Zone " + s.name + " is halted already (" + state + ")");
    }
    if (halt.isEmpty()) {
      return Optional.of("Zone is not halted (status: " + state + ")");
    }
    HaltCause cause = halt.get().cause();
    return switch (command) {
      case RESUME -> cause == HaltCause.OPERATOR ? Optional.empty()
          : Optional.of("Zone " + s.name + " is " + state + ", not halted by the operator: run "
              + String.join(" or ", recovery(s.name, cause)));
      case RESET -> cause == HaltCause.OPERATOR
          ? Optional.of("Zone " + s.name + " is " + state + ": run cascade zone resume " + s.name) : Optional.empty();
      case OVERRIDE_UNSIGNED -> cause == HaltCause.LOADED_REVIEW ? Optional.empty() : notRejected(s, "loaded", cause);
      case OVERRIDE_SIGNED -> cause == HaltCause.SIGNED_REVIEW ? Optional.empty() : notRejected(s, "signed", cause);
      case HALT -> throw new IllegalStateException("handled above");
    };
  }

  private static Optional<String> notRejected(ZoneState s, String stage, HaltCause cause) {
    return Optional.of("Zone " + s.name + " has no rejected " + stage + " version to override (status: " + label(s)
        + ")" + (cause == HaltCause.SIGNING_FAILED ? "; a failed signing cannot be overridden, only reset" : ""));
  }

  /** The commands that recover from a halt of {@code cause}, as the operator types them. */
  public static List<String> recovery(String zone, HaltCause cause) {
    return switch (cause) {
      case LOADED_REVIEW -> List.of("cascade zone override --unsigned " + zone, "cascade zone reset " + zone);
      case SIGNED_REVIEW -> List.of("cascade zone override --signed " + zone, "cascade zone reset " + zone);
      case SIGNING_FAILED -> List.of("cascade zone reset " + zone);
      case OPERATOR -> List.of("cascade zone resume " + zone);
    };
  }
}
