package dev.cascade.testinfra;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real SoftHSM2 token for {@code @QuarkusTest}s of keys in a PKCS#11 token: supplies the service's
 * {@code cascade.pkcs11.*} settings (as a test resource, or as a test profile's configuration overrides), the token named {@value #SERVER_ID} for policies. SoftHSM2 reads its
 * configuration once per JVM, when the module is first loaded, from {@code SOFTHSM2_CONF}, which the service's
 * surefire configuration sets; so the token is made once per JVM, in a fresh token directory. Nothing is optional:
 * without softhsm2 (Debian package {@code softhsm2}, which CI installs) or {@code SOFTHSM2_CONF} the test fails.
 */
public class SoftHsmResource implements QuarkusTestResourceLifecycleManager {
  /** Debian's SoftHSM2 PKCS#11 module. */
  public static final String LIBRARY = "/usr/lib/softhsm/libsofthsm2.so";
  public static final String LABEL = "cascade-service-test";
  /** The id policies name the token by ({@code hsm-server-id}). */
  public static final String SERVER_ID = "test-hsm";
  public static final String PIN = "4321";
  private static final String UTIL = "/usr/bin/softhsm2-util";
  private static final Pattern SLOT = Pattern.compile("reassigned to slot (\\d+)");

  /** Outside {@code cascade.}: Quarkus refuses unknown keys under the services' configuration root. */
  private static final String SLOT_PROPERTY = "testinfra.softhsm-slot";

  private static String slot;

  @Override
  public Map<String, String> start() {
    return Map.of(
        "cascade.pkcs11.library", LIBRARY,
        "cascade.pkcs11.token-label", LABEL,
        "cascade.pkcs11.slot", slot(),
        "cascade.pkcs11.server-id", SERVER_ID,
        "cascade.pkcs11.pin", PIN);
  }

  /** The token's slot id; the token is made on first use. */
  public static synchronized String slot() {
    if (slot == null) {
      // One token per JVM also across class loaders: a plain test and a @QuarkusTest load this class apart, and the
      // module, loaded once, sees only the token directory of its first configuration.
      slot = System.getProperty(SLOT_PROPERTY);
    }
    if (slot == null) {
      try {
        slot = initialise();
        System.setProperty(SLOT_PROPERTY, slot);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return slot;
  }

  private static String initialise() throws IOException, InterruptedException {
    String conf = System.getenv("SOFTHSM2_CONF");
    if (conf == null) {
      throw new IllegalStateException("SOFTHSM2_CONF is not set (the service's surefire configuration sets it)");
    }
    if (!Files.isExecutable(Path.of(UTIL)) || !Files.isReadable(Path.of(LIBRARY))) {
      throw new IllegalStateException(UTIL + " or " + LIBRARY + " is missing: install the Debian package softhsm2");
    }
    Path file = Path.of(conf);
    Files.createDirectories(file.getParent());
    Path tokens = Files.createTempDirectory(file.getParent(), "tokens");
    Files.writeString(file, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n");
    ProcessBuilder init = new ProcessBuilder(List.of(UTIL, "--init-token", "--free", "--label", LABEL,
        "--pin", PIN, "--so-pin", "87654321")).redirectErrorStream(true);
    init.environment().put("SOFTHSM2_CONF", file.toString());
    Process process = init.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("softhsm2-util --init-token failed:\n" + output);
    }
    Matcher slot = SLOT.matcher(output);
    if (!slot.find()) {
      throw new IllegalStateException("softhsm2-util printed no slot:\n" + output);
    }
    return slot.group(1);
  }

  /** The token directory is in the build directory; nothing to stop. */
  @Override
  public void stop() {}
}
