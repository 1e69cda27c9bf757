package dev.cascade.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The directories zone files may be read from ({@code cascade.zone-source-dirs}, issue 13 item 4): review-gateway
 * refuses {@code zone add} and {@code set-source} with a file outside them, and the loader, which may run as root,
 * checks again before it opens a file, so a zone registry event from anywhere else cannot make it read, say,
 * {@code /etc/shadow}. A file is inside when its absolute path is, and when its real path (symbolic links resolved)
 * is inside a directory's real path: a link in a zone directory cannot point out of it. A refusal names the file and
 * the directories, never anything read from the file.
 */
public final class ZoneSourceDirectories {

  private final List<Path> directories;

  private ZoneSourceDirectories(List<Path> directories) {
    this.directories = List.copyOf(directories);
  }

  /** {@code setting}: directories separated by commas, as the configuration gives them; blanks are skipped. */
  public static ZoneSourceDirectories of(String setting) {
    List<Path> directories = new ArrayList<>();
    for (String directory : setting.split(",")) {
      if (!directory.isBlank()) {
        directories.add(Path.of(directory.strip()).toAbsolutePath().normalize());
      }
    }
    if (directories.isEmpty()) {
      throw new IllegalArgumentException("cascade.zone-source-dirs names no directory");
    }
    return new ZoneSourceDirectories(directories);
  }

  /**
   * Why {@code file} (absolute) may not be read as a zone file, or empty when it may. Call it before anything opens
   * the file; it does not say whether a file outside the directories exists.
   */
  public Optional<String> refusal(Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    if (directories.stream().noneMatch(absolute::startsWith)) {
      return Optional.of(outside(absolute));
    }
    if (!Files.exists(absolute)) {
      return Optional.empty(); // the caller says it does not exist, in its own words
    }
    try {
      Path real = absolute.toRealPath();
      for (Path directory : directories) {
        if (Files.isDirectory(directory) && real.startsWith(directory.toRealPath())) {
          return Optional.empty();
        }
      }
    } catch (IOException e) {
      return Optional.of("cannot resolve the zone file " + absolute + ": " + e.getClass().getSimpleName());
    }
    return Optional.of(outside(absolute) + " once its symbolic links are resolved");
  }

  private String outside(Path file) {
    return "zone file " + file + " is not inside the zone source directories (cascade.zone-source-dirs: "
        + String.join(",", directories.stream().map(Path::toString).toList()) + ")";
  }
}
