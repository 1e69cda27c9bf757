package dev.cascade.systemtests.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Freezes a packaged application for the length of a run: every file of {@code target/quarkus-app} (or the CLI jar)
 * is hard-linked into the run's work directory. A rebuild of the module meanwhile (another terminal, an IDE) replaces
 * the files under {@code target/}, but the links keep the old contents, so a running or restarted service never loads
 * classes from a half-written build. Hard links cost no copy; across file systems it falls back to copying.
 */
final class AppSnapshot {

  private AppSnapshot() {}

  /** Links (or copies) the tree under {@code source}, or the single file {@code source}, to {@code target}. */
  static Path of(Path source, Path target) {
    try (Stream<Path> walk = Files.walk(source)) {
      List<Path> paths = walk.toList();
      for (Path path : paths) {
        Path destination = target.resolve(source.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(destination);
        } else {
          Files.createDirectories(destination.getParent());
          link(path, destination);
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot snapshot " + source, e);
    }
  }

  private static void link(Path file, Path destination) throws IOException {
    try {
      Files.createLink(destination, file);
    } catch (IOException | UnsupportedOperationException e) {
      Files.copy(file, destination);
    }
  }
}
