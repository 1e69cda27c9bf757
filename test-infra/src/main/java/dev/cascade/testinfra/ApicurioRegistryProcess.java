package dev.cascade.testinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The real Apicurio Registry 2.4.2 (in-memory H2 storage) from the separate build in {@code deploy/local/apicurio}, run
 * as a child JVM. It is the only registry server that can be assembled from Maven Central (stack-notes §4), and the
 * 3.1.7 client serde speaks its v2 API when the URL ends in {@code /apis/registry/v2}.
 */
public final class ApicurioRegistryProcess implements AutoCloseable {

  /** Relative to the repository root. */
  public static final String JAR = "deploy/local/apicurio/registry/target/quarkus-app/quarkus-run.jar";

  public static final String BUILD_HINT =
      "build it with: ./mvnw -B -q -f deploy/local/apicurio/pom.xml package -DskipTests";

  /** Cold start is 5 s quiet (stack-notes §4); on 2 cores shared by several builds it can take many times that. */
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final Process process;
  private final int port;

  private ApicurioRegistryProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** The runnable jar in a checkout, or an error that says how to build it. */
  public static Path jar(Path repositoryRoot) {
    Path jar = repositoryRoot.resolve(JAR);
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("Apicurio registry jar " + jar + " is missing; " + BUILD_HINT);
    }
    return jar;
  }

  /**
   * Starts the registry on {@code port}, waits until {@code /apis/registry/v2/system/info} answers, sets the global
   * FULL_TRANSITIVE compatibility rule and registers every event schema ({@link RegistrySetup}).
   *
   * @param log file that receives the child's stdout and stderr
   */
  public static ApicurioRegistryProcess start(Path repositoryRoot, int port, Path log) {
    Path jar = jar(repositoryRoot);
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
      // Small heap, serial GC and C1 only: the registry starts in about 5 s with them (stack-notes §4).
      ProcessBuilder builder =
          new ProcessBuilder(
                  List.of(
                      javaExecutable(),
                      "-Xmx128m",
                      "-XX:+UseSerialGC",
                      "-XX:TieredStopAtLevel=1",
                      "-Dquarkus.http.host=127.0.0.1",
                      "-jar",
                      jar.toString()))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      builder.environment().put("HTTP_PORT", Integer.toString(port));
      Process process = builder.start();
      ApicurioRegistryProcess registry = new ApicurioRegistryProcess(process, port);
      try {
        Readiness.awaitHttp200(
            URI.create("http://127.0.0.1:" + port + "/apis/registry/v2/system/info"), process, START_TIMEOUT, log);
        RegistrySetup.prepare(registry.url());
      } catch (RuntimeException e) {
        registry.close();
        throw e;
      }
      return registry;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the Apicurio registry from " + jar, e);
    }
  }

  /** The java launcher of the running JVM, so children use the same Java version. */
  public static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** {@code http://127.0.0.1:<port>/apis/registry/v2}: the form the client serde needs (stack-notes §4). */
  public String url() {
    return "http://127.0.0.1:" + port + "/apis/registry/v2";
  }

  public int port() {
    return port;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGTERM, then SIGKILL after 10 s. */
  @Override
  public void close() {
    Processes.stop(process, 10);
  }
}
