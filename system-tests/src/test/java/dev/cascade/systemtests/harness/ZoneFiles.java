package dev.cascade.systemtests.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;

/** Zone files the tests write for the loader, and zone files written from what the publisher serves. */
public final class ZoneFiles {

  private ZoneFiles() {}

  /** Writes (or replaces, as an operator editing the file would) {@code <zone>.zone} in the stack's zone directory. */
  public static Path write(Stack stack, String zone, String text) {
    Path file = stack.zoneDirectory().resolve(zone + ".zone");
    try {
      // Write then move, so the loader never reads a half-written file.
      Path temporary = Files.writeString(stack.zoneDirectory().resolve(zone + ".zone.tmp"), text, StandardCharsets.UTF_8);
      Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The records of a zone file as dnsjava's master-file parser reads them (the independent reading of the input). */
  public static List<Record> parse(Path file, String zone) {
    try (Master master = new Master(file.toString(), Name.fromString(zone, Name.root))) {
      List<Record> records = new ArrayList<>();
      for (Record record = master.nextRecord(); record != null; record = master.nextRecord()) {
        records.add(record);
      }
      return records;
    } catch (TextParseException e) {
      throw new IllegalArgumentException("bad zone name " + zone, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse " + file, e);
    }
  }

  /**
   * Writes transferred records as a master file, once each: an AXFR repeats the SOA at the end, and a zone file must
   * not (dnssec-verify and ldns-verify-zone read the file, not the transfer).
   */
  public static Path writeTransfer(Path file, List<Record> transferred) {
    StringBuilder text = new StringBuilder();
    for (Record record : new LinkedHashSet<>(transferred)) {
      text.append(record).append('\n');
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      return Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
