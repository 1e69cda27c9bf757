package dev.cascade.testinfra;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the Cascade checkout from wherever a test runs (a module directory under Maven, the root in an IDE). */
public final class RepositoryRoot {

  /** The directory that marks the root: the separate Apicurio build lives there. */
  private static final String MARKER = "deploy/local/apicurio";

  private RepositoryRoot() {}

  /** Walks up from the working directory to the first directory containing {@value #MARKER}. */
  public static Path find() {
    Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve(MARKER))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "no directory containing " + MARKER + " above " + start + ": run the tests inside the Cascade checkout");
  }
}
