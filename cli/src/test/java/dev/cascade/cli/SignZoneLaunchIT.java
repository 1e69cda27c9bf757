package dev.cascade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/cascade signzone} as an operator runs it: the script, its JVM options and the packaged
 * {@code cli/target/cascade-cli.jar}, which failsafe finds made by the package phase. Issue 12: every run printed three
 * "SLF4J(W): No SLF4J providers were found" lines, since dnsjava logs through slf4j and the jar had no provider. The
 * ZSK is one whose scalar dnssec-keygen wrote one octet short, which the same issue found refused.
 */
class SignZoneLaunchIT {
  private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

  @Test
  void signzonePrintsTheZonesNotesAndItsReportAndNothingElse(@TempDir Path tmp) throws Exception {
    Path signed = tmp.resolve("example.signed");
    ProcessBuilder builder = new ProcessBuilder(REPOSITORY.resolve("bin/cascade").toString(), "signzone",
        "-o", "example.", "-f", signed.toString(), "src/test/resources/zones/example.zone",
        "src/test/resources/keys/Kexample.+013+17905.key", "src/test/resources/keys/Kexample.+013+48391.key");
    // The script's own JVM options, and the JDK that runs this test.
    builder.environment().remove("CASCADE_JAVA_OPTS");
    builder.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + File.pathSeparator
        + System.getenv("PATH"));
    builder.redirectOutput(tmp.resolve("stdout").toFile()).redirectError(tmp.resolve("stderr").toFile());
    Process process = builder.start();
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "bin/cascade signzone timed out");

    String stderr = Files.readString(tmp.resolve("stderr"));
    assertEquals(0, process.exitValue(), stderr);
    assertEquals("", Files.readString(tmp.resolve("stdout")));
    List<String> lines = stderr.lines().toList();
    assertTrue(lines.stream().noneMatch(l -> l.contains("SLF4J")), stderr);
    // The zone's one note (a TXT record below a delegation, never served), then the report.
    assertEquals(3, lines.size(), stderr);
    assertTrue(lines.get(0).startsWith("warning: src/test/resources/zones/example.zone: 1 record(s) never served"),
        stderr);
    assertTrue(lines.get(1).startsWith("Signed example.: "), stderr);
    assertTrue(lines.get(2).startsWith("Phases (wall/CPU s): "), stderr);
    assertTrue(Files.readString(signed).lines()
        .anyMatch(l -> l.contains("\tRRSIG\tSOA 13 1 3600 ") && l.contains(" 48391 example. ")), "the ZSK signs");
  }
}
