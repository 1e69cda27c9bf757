package dev.cascade.systemtests.harness;

import java.nio.file.Path;

/** The five services, each with the HTTP port of the design's port table (health on {@code /q/health/ready}). */
public enum CascadeService {
  LOADER("loader", 8081),
  KEYMANAGER("keymanager", 8082),
  SIGNER("signer", 8083),
  PUBLISHER("publisher", 8084),
  /** Also the operator API the CLI talks to. */
  REVIEW_GATEWAY("review-gateway", 4539);

  private final String directory;
  private final int httpPort;

  CascadeService(String directory, int httpPort) {
    this.directory = directory;
    this.httpPort = httpPort;
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
