package dev.cascade.dnssec.progress;

/** The progress of a step made of several phases: one {@link Progress} per phase. */
@FunctionalInterface
public interface PhaseProgress {

  /** Ignores every phase: for callers that do not report progress. */
  PhaseProgress NONE = phase -> Progress.NONE;

  /** Where the counts of {@code phase} go. */
  Progress of(Phase phase);
}
