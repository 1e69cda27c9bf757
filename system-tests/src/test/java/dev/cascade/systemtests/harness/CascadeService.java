package dev.cascade.systemtests.harness;

import java.nio.file.Path;

/**
 * The five services, each with the HTTP port of the design's port table (health on {@code /q/health/ready}) and the
 * heap the tests give it: 256 MB, except for the services that hold whole zone versions, which get enough for the
 * 100 k-delegation zone of {@code LargeZoneIT} (the JVM only takes what it uses).
 */
public enum CascadeService {
  LOADER("loader", 8081, "1g"),
  KEYMANAGER("keymanager", 8082, "256m"),
  SIGNER("signer", 8083, "2g"),
  PUBLISHER("publisher", 8084, "1g"),
  /** Also the operator API the CLI talks to. */
  REVIEW_GATEWAY("review-gateway", 4539, "256m");

  private final String directory;
  private final int httpPort;
  private final String heap;

  CascadeService(String directory, int httpPort, String heap) {
    this.directory = directory;
    this.httpPort = httpPort;
    this.heap = heap;
  }

  /** The largest heap, as {@code -Xmx} takes it. */
  public String heap() {
    return heap;
  }

  /** The module directory under {@code services/}, also the log file's name. */
  public String directory() {
    return directory;
  }

  public int httpPort() {
    return httpPort;
  }

  /** The fast-jar launcher that {@code ./mvnw package} writes. */
  public Path jar(Path repositoryRoot) {
    return repositoryRoot.resolve("services").resolve(directory).resolve("target/quarkus-app/quarkus-run.jar");
  }
}
