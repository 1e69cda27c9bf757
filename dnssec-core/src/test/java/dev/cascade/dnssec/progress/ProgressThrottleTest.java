package dev.cascade.dnssec.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProgressThrottleTest {

  private static final Duration SECOND = Duration.ofSeconds(1);

  /** A clock that stands still until the test moves it. */
  private static final class ManualClock extends Clock {
    private volatile Instant now = Instant.parse("2026-12-04T10:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }

  private record Report(Phase phase, long done, long total) {}

  @Test
  void nothingIsReportedBeforeTheFirstIntervalHasPassed() {
    ManualClock clock = new ManualClock();
    List<Report> reports = new ArrayList<>();
    Progress sign = new ProgressThrottle(clock, SECOND, (p, d, t) -> reports.add(new Report(p, d, t))).of(Phase.SIGN);

    for (int i = 1; i <= 1000; i++) {
      sign.reached(i, 1000);
      clock.advance(Duration.ofNanos(999_000));  // 1000 batches in 999 ms: a step that ends within the interval
    }

    assertEquals(List.of(), reports);
  }

  @Test
  void aLongStepReportsAtMostOncePerIntervalWithTheCountOfTheMoment() {
    ManualClock clock = new ManualClock();
    List<Report> reports = new ArrayList<>();
    ProgressThrottle throttle = new ProgressThrottle(clock, SECOND, (p, d, t) -> reports.add(new Report(p, d, t)));
    Progress read = throttle.of(Phase.READ);
    Progress sign = throttle.of(Phase.SIGN);

    // 100 ms per batch: 10 batches of reading, then 25 of signing.
    for (int i = 1; i <= 10; i++) {
      clock.advance(Duration.ofMillis(100));
      read.reached(i * 100, 1000);
    }
    for (int i = 1; i <= 25; i++) {
      clock.advance(Duration.ofMillis(100));
      sign.reached(i * 40, 1000);
    }

    // Due at 1.0 s (the 10th read batch), then at 2.0 s and 3.0 s; one interval spans both phases of the step.
    assertEquals(List.of(new Report(Phase.READ, 1000, 1000), new Report(Phase.SIGN, 400, 1000),
        new Report(Phase.SIGN, 800, 1000)), reports);
  }

  @Test
  void theIntervalCountsFromTheLastReportNotFromTheStart() {
    ManualClock clock = new ManualClock();
    List<Report> reports = new ArrayList<>();
    Progress verify = new ProgressThrottle(clock, SECOND, (p, d, t) -> reports.add(new Report(p, d, t)))
        .of(Phase.VERIFY);

    clock.advance(Duration.ofMillis(1500));
    verify.reached(1, 10);  // due since 1.0 s: reported at 1.5 s
    clock.advance(Duration.ofMillis(900));
    verify.reached(2, 10);  // 2.4 s: only 0.9 s after the last report
    clock.advance(Duration.ofMillis(100));
    verify.reached(3, 10);  // 2.5 s

    assertEquals(List.of(new Report(Phase.VERIFY, 1, 10), new Report(Phase.VERIFY, 3, 10)), reports);
  }

  @Test
  void aZeroIntervalPassesOnEveryCount() {
    ManualClock clock = new ManualClock();
    List<Report> reports = new ArrayList<>();
    Progress parse = new ProgressThrottle(clock, Duration.ZERO, (p, d, t) -> reports.add(new Report(p, d, t)))
        .of(Phase.PARSE);

    parse.reached(10, 30);
    parse.reached(20, 30);

    assertEquals(List.of(new Report(Phase.PARSE, 10, 30), new Report(Phase.PARSE, 20, 30)), reports);
  }

  @Test
  void ofThreadsDueAtTheSameMomentExactlyOneReports() throws Exception {
    ManualClock clock = new ManualClock();
    AtomicInteger reports = new AtomicInteger();
    Progress verify = new ProgressThrottle(clock, SECOND, (p, d, t) -> reports.incrementAndGet()).of(Phase.VERIFY);
    clock.advance(SECOND);
    int threads = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int t = 0; t < threads; t++) {
        pool.execute(() -> {
          try {
            start.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
          for (int i = 0; i < 10_000; i++) {
            verify.reached(i, 10_000);
          }
        });
      }
      start.countDown();
      pool.shutdown();
      assertEquals(true, pool.awaitTermination(30, TimeUnit.SECONDS));
    } finally {
      pool.shutdownNow();
    }

    assertEquals(1, reports.get(), "the clock stood still after the first interval: one report");
  }

  @Test
  void aNegativeIntervalIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> new ProgressThrottle(new ManualClock(), Duration.ofMillis(-1), (p, d, t) -> {}));
  }
}
