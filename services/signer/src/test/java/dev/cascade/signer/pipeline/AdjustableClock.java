package dev.cascade.signer.pipeline;

import io.quarkus.test.Mock;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The signer's clock in tests: UTC system time plus an offset a test may set, so a test can let signatures fall due
 * without waiting days. Replaces the clock of service-support's ClockProducer ({@link Mock} is an alternative with
 * priority); a test that moves it must put it back.
 */
@Mock
@Singleton
public class AdjustableClock extends Clock {

  private volatile Duration offset = Duration.ZERO;

  /** Runs the service's clock {@code offset} ahead of real time from now on. */
  void advance(Duration offset) {
    this.offset = offset;
  }

  /** Back to real time. */
  void reset() {
    this.offset = Duration.ZERO;
  }

  @Override
  public Instant instant() {
    return Instant.now().plus(offset);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the signer's clock is UTC");
  }
}
