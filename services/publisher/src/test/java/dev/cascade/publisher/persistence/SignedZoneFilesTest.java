package dev.cascade.publisher.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cascade.dnssec.zone.ZoneFileParser;
import dev.cascade.publisher.domain.TestRecords;
import dev.cascade.publisher.domain.ZoneSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

class SignedZoneFilesTest {

  @TempDir Path dir;

  @Test
  void eachPublishedVersionReplacesTheZonesFileWhole() throws Exception {
    SignedZoneFiles files = new SignedZoneFiles(Optional.of(dir.resolve("signed/{zone}.zone").toString()));
    Path file = dir.resolve("signed/example.test.zone");
    try {
      ZoneSnapshot v1 = TestRecords.snapshot("example.test.", "v1", 2026120701, 30);
      files.published(v1);
      awaitSerial(file, 2026120701);
      ZoneSnapshot v2 = TestRecords.snapshot("example.test.", "v2", 2026120702, 40);
      files.published(v2);
      awaitSerial(file, 2026120702);

      List<Record> written = ZoneFileParser.parse(file, Name.fromString("example.test.")).records();
      assertEquals(new HashSet<>(v2.records().toRecords()), new HashSet<>(written));
      try (Stream<Path> left = Files.list(file.getParent())) {
        assertEquals(List.of(file), left.toList(), "no temporary file is left behind");
      }
    } finally {
      files.stop();
    }
  }

  @Test
  void theTemplateNamesTheZoneWithoutItsFinalDot() throws Exception {
    assertEquals(Path.of("/var/lib/cascade/example.test.signed"),
        SignedZoneFiles.fileOf("/var/lib/cascade/{zone}.signed", Name.fromString("Example.Test.")));
    assertEquals(Path.of("/z/root.zone"), SignedZoneFiles.fileOf("/z/{zone}.zone", Name.root));
  }

  private static void awaitSerial(Path file, long serial) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (Files.exists(file) && ZoneFileParser.parse(file, Name.fromString("example.test.")).serial() == serial) {
        return;
      }
      Thread.sleep(20);
    }
    fail(file + " never held serial " + serial);
  }
}
