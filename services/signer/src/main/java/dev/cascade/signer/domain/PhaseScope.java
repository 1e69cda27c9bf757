package dev.cascade.signer.domain;

import dev.cascade.dnssec.progress.Phase;
import java.util.function.Supplier;

/**
 * Runs the work of one phase of a signing (the signing of the zone, the verification gate), so that the pipeline can
 * give each its span in the version's trace (docs/operations.md, "Traces"); the domain itself does nothing with it.
 */
public interface PhaseScope {

  /** Runs the work as it is: for callers that do not trace. */
  PhaseScope DIRECT =
      new PhaseScope() {
        @Override
        public <T> T run(Phase phase, Supplier<T> work) {
          return work.get();
        }
      };

  /** Runs {@code work}, the work of {@code phase}, and returns its result. */
  <T> T run(Phase phase, Supplier<T> work);
}
