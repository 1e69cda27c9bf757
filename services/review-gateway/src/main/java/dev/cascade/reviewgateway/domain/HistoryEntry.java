package dev.cascade.reviewgateway.domain;

import java.time.Instant;

/** One line of {@code cascade zone history}: when, the serial it concerns (if any) and the reference's wording. */
public record HistoryEntry(Instant when, Long serial, String event) {}
