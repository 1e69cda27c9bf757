package dev.cascade.reviewgateway.api;

import dev.cascade.testinfra.RepositoryRoot;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A policy directory the tests may write to ({@code cascade.policy-dir}): a temporary copy of the repository's
 * {@code policies/}, so that {@code policy reload} can be tried on edited, added and removed files without touching
 * the repository. Global, as the other resources: every test class then runs in one application.
 */
public class PolicyDirectoryResource implements QuarkusTestResourceLifecycleManager {

  /** The directory, once started. */
  static Path directory;

  @Override
  public Map<String, String> start() {
    try {
      directory = Files.createTempDirectory("cascade-policies");
      try (DirectoryStream<Path> files =
          Files.newDirectoryStream(RepositoryRoot.find().resolve("policies"), "*.toml")) {
        for (Path file : files) {
          Files.copy(file, directory.resolve(file.getFileName()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Map.of("cascade.policy-dir", directory.toString());
  }

  @Override
  public void stop() {
    // The directory stays for a look after a failure; it is small and under the temporary directory.
  }
}
