package dev.cascade.systemtests.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The zones of a chaos run and their files: {@code off-<i>.chaos.test} under the default policy (both reviews off) and
 * {@code manual-<i>.chaos.test} under the review policy (both reviews manual). Each change rewrites a zone's file with
 * the next SOA serial; the file's serial is the one the pipeline must end up publishing.
 */
final class ChaosZones {

  /** The first serial of every zone: any value below the unix-time serials the signer gives (RFC 1982 order). */
  private static final long FIRST_SERIAL = 1000;

  private final Path directory;
  private final List<String> reviewOff = new ArrayList<>();
  private final List<String> manual = new ArrayList<>();
  private final Map<String, Long> serials = new ConcurrentHashMap<>();

  ChaosZones(Path directory, int reviewOffCount, int manualCount) {
    this.directory = directory;
    for (int i = 1; i <= reviewOffCount; i++) {
      reviewOff.add("off-" + i + ".chaos.test");
    }
    for (int i = 1; i <= manualCount; i++) {
      manual.add("manual-" + i + ".chaos.test");
    }
  }

  List<String> all() {
    List<String> all = new ArrayList<>(reviewOff);
    all.addAll(manual);
    return all;
  }

  List<String> manual() {
    return manual;
  }

  String policy(String zone) {
    return manual.contains(zone) ? "review" : "default";
  }

  Path file(String zone) {
    return directory.resolve(zone + ".zone");
  }

  /** The serial of the zone's file now. */
  long serial(String zone) {
    return serials.get(zone);
  }

  /** Writes the zone's first file. */
  void create(String zone) throws IOException {
    write(zone, FIRST_SERIAL);
  }

  /** Writes the next version of the zone's file and returns its serial. */
  synchronized long change(String zone) throws IOException {
    long next = serials.get(zone) + 1;
    write(zone, next);
    return next;
  }

  /** Atomically (a rename), so the loader never reads half a file. */
  private void write(String zone, long serial) throws IOException {
    String text = """
        $ORIGIN %1$s.
        $TTL 300
        @    IN SOA  ns1.%1$s. hostmaster.%1$s. %2$d 3600 600 86400 300
        @    IN NS   ns1.%1$s.
        ns1  IN A    192.0.2.1
        www  IN A    192.0.2.%3$d
        v    IN TXT  "%2$d"
        """.formatted(zone, serial, 1 + serial % 254);
    Path temporary = directory.resolve(zone + ".zone.tmp");
    Files.writeString(temporary, text);
    Files.move(temporary, file(zone), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    serials.put(zone, serial);
  }
}
