package dev.cascade.publisher.persistence;

import dev.cascade.dnssec.compact.CompactRecords;
import dev.cascade.dnssec.zone.ZoneFileWriter;
import dev.cascade.publisher.config.PublisherConfig;
import dev.cascade.publisher.domain.ZoneSnapshot;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;
import org.xbill.DNS.Name;

/**
 * Writes each published version to a zone file as well, when {@code cascade.publisher.output-file} is set: to a
 * temporary file next to it, then renamed over it, so a reader (a name server loading the file, a backup) sees the
 * previous version or the new one whole, never a part (POSIX rename(2) replaces the target atomically). One thread
 * writes, in the background: publication never waits for a disk, and of the versions of a zone that came while one
 * was written only the newest is written next. A failed write is logged, and the next version tries again.
 */
@ApplicationScoped
public class SignedZoneFiles {

  private static final Logger LOG = Logger.getLogger(SignedZoneFiles.class);

  private final Optional<String> template;
  private final ConcurrentMap<Name, ZoneSnapshot> due = new ConcurrentHashMap<>();
  private final ExecutorService writer = Executors.newSingleThreadExecutor(runnable -> {
    Thread thread = new Thread(runnable, "signed-zone-files");
    thread.setDaemon(true);
    return thread;
  });

  @Inject
  public SignedZoneFiles(PublisherConfig config) {
    this(config.outputFile());
  }

  /** @param template the {@code output-file} setting; empty or blank for none */
  public SignedZoneFiles(Optional<String> template) {
    this.template = template.filter(path -> !path.isBlank());
  }

  /** Writes {@code published}, the zone's version now served, to its file, if files are written. */
  public void published(ZoneSnapshot published) {
    if (template.isEmpty()) {
      return;
    }
    if (due.put(published.origin(), published) == null) {
      writer.execute(() -> write(published.origin()));
    }
  }

  /**
   * The file of {@code zone}: the template with {@code {zone}} replaced by its name in lower case, without the final
   * dot.
   */
  public static Path fileOf(String template, Name zone) {
    String name = zone.equals(Name.root) ? "root" : zone.toString(true).toLowerCase(Locale.ROOT);
    return Path.of(template.replace("{zone}", name));
  }

  private void write(Name zone) {
    ZoneSnapshot snapshot = due.remove(zone);
    if (snapshot == null) {
      return;
    }
    Path file = fileOf(template.orElseThrow(), zone);
    Path temporary = null;
    try {
      Path directory = file.toAbsolutePath().getParent();
      Files.createDirectories(directory);
      temporary = Files.createTempFile(directory, "." + file.getFileName(), ".tmp");
      try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.US_ASCII)) {
        ZoneFileWriter records = new ZoneFileWriter(out);
        CompactRecords.Cursor cursor = snapshot.records().cursor();
        while (cursor.next()) {
          records.write(cursor.toRecord());
        }
      }
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      LOG.infof("zone %s: serial %d written to %s", zone, snapshot.serial(), file);
    } catch (IOException | RuntimeException e) {
      LOG.errorf("zone %s: serial %d not written to %s: %s", zone, snapshot.serial(), file, e.getMessage());
      deleteQuietly(temporary);
    }
  }

  private static void deleteQuietly(Path temporary) {
    if (temporary == null) {
      return;
    }
    try {
      Files.deleteIfExists(temporary);
    } catch (IOException e) {
      LOG.debugf("temporary file %s not removed: %s", temporary, e.getMessage());
    }
  }

  @PreDestroy
  void stop() {
    writer.shutdownNow();
  }
}
