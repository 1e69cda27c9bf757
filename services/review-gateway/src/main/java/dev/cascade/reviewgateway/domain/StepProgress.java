package dev.cascade.reviewgateway.domain;

import java.time.Instant;

/**
 * One progress report of a long step: {@code done} of {@code total} {@code unit} ("records" or "bytes") in its
 * {@code phase} ("parse", "read", "sign", "verify", "write"). The domain side of the {@code StepProgressed} event.
 *
 * @param versionId the version the step makes (for a load, one this projection does not know yet)
 * @param reportedAt when the reporting service sent it
 */
public record StepProgress(
    String versionId, ProgressStep step, String phase, long done, long total, String unit, Instant reportedAt) {}
