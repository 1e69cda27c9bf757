package dev.cascade.dnssec.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.pkcs11.Pkcs11Config;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real SoftHSM2 token for the PKCS#11 tests, made once per JVM in a fresh token directory. SoftHSM2 reads its
 * configuration when the JVM first loads the module, from {@code SOFTHSM2_CONF} (set by the surefire configuration),
 * so the file is written here before any token is opened. Nothing is optional: without softhsm2 (Debian package
 * {@code softhsm2}, which CI installs) or without {@code SOFTHSM2_CONF} the tests fail.
 */
public final class SoftHsm {
  /** Debian's SoftHSM2 PKCS#11 module. */
  public static final Path LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");
  public static final String UTIL = "/usr/bin/softhsm2-util";
  public static final String LABEL = "cascade-test";
  public static final String PIN = "4321";
  private static final Pattern SLOT = Pattern.compile("reassigned to slot (\\d+)");

  private static Pkcs11Config token;

  private SoftHsm() {}

  /** The test token, initialised on first use. */
  public static synchronized Pkcs11Config token() throws IOException, InterruptedException {
    if (token == null) {
      token = initialise();
    }
    return token;
  }

  /** The configuration file SoftHSM2 and its tools read. */
  public static Path configuration() {
    String conf = System.getenv("SOFTHSM2_CONF");
    assertNotNull(conf, "SOFTHSM2_CONF is not set (dnssec-core's surefire configuration sets it)");
    return Path.of(conf);
  }

  private static Pkcs11Config initialise() throws IOException, InterruptedException {
    assertTrue(Files.isExecutable(Path.of(UTIL)), UTIL + " is not installed (Debian package softhsm2)");
    assertTrue(Files.isReadable(LIBRARY), LIBRARY + " is not installed (Debian package softhsm2)");
    Path conf = configuration();
    Files.createDirectories(conf.getParent());
    Path tokens = Files.createTempDirectory(conf.getParent(), "tokens");
    Files.writeString(conf, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n");
    ProcessBuilder init = new ProcessBuilder(List.of(UTIL, "--init-token", "--free", "--label", LABEL,
        "--pin", PIN, "--so-pin", "87654321")).redirectErrorStream(true);
    init.environment().put("SOFTHSM2_CONF", conf.toString());
    Process process = init.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "softhsm2-util timed out");
    assertEquals(0, process.exitValue(), "softhsm2-util --init-token failed:\n" + output);
    Matcher slot = SLOT.matcher(output);
    assertTrue(slot.find(), "softhsm2-util printed no slot:\n" + output);
    return new Pkcs11Config(LIBRARY, LABEL, Long.parseLong(slot.group(1)), 0, PIN.toCharArray());
  }
}
