package dev.cascade.service.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hook as a real {@code sh -c} process: its environment, exit code, output and time limit. */
class HookCommandTest {

  private static final Map<String, String> ENV = Map.of(
      "CASCADE_ZONE", "example.",
      "CASCADE_DS", "example.\t3600\tIN\tDS\t1 13 2 AB\nexample.\t3600\tIN\tDS\t2 13 2 CD",
      "CASCADE_DS_ADD", "example.\t3600\tIN\tDS\t2 13 2 CD",
      "CASCADE_DS_REMOVE", "");

  @Test
  void theHookGetsTheRequestInItsEnvironmentAndItsExitCodeAndOutputAreKept(@TempDir Path dir) throws Exception {
    Path seen = dir.resolve("seen");
    HookCommand.Outcome outcome = HookCommand.run(
        "printf '%s|%s|%s|%s' \"$CASCADE_ZONE\" \"$CASCADE_DS\" \"$CASCADE_DS_ADD\" \"$CASCADE_DS_REMOVE\" > " + seen
            + "; echo submitted; echo 'registry said no' >&2; exit 3",
        ENV, Duration.ofSeconds(30));
    assertEquals("example.|" + ENV.get("CASCADE_DS") + "|" + ENV.get("CASCADE_DS_ADD") + "|",
        Files.readString(seen));
    assertEquals(3, outcome.exitCode());
    assertFalse(outcome.succeeded());
    assertEquals("submitted\nregistry said no\n", outcome.output());
    assertEquals("exited 3", outcome.summary());
    assertTrue(HookCommand.run("true", ENV, Duration.ofSeconds(30)).succeeded());
  }

  @Test
  void aHangingHookIsKilledAtItsTimeLimitWithWhatItChildrenStarted() {
    long start = System.nanoTime();
    HookCommand.Outcome outcome = HookCommand.run("echo started; sleep 60 & sleep 60", ENV, Duration.ofMillis(500));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertNull(outcome.exitCode());
    assertEquals("timed out after 0 s and was killed", outcome.summary());
    assertEquals("started\n", outcome.output());
    assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "took " + took);
  }

  @Test
  void onlyTheLastOutputIsKept() {
    HookCommand.Outcome outcome = HookCommand.run("yes x | tr -d '\\n' | head -c 10000; echo end", ENV,
        Duration.ofSeconds(30));
    assertEquals(HookCommand.OUTPUT_LIMIT, outcome.output().length());
    assertTrue(outcome.output().endsWith("xend\n"), outcome.output());
  }
}
