package dev.cascade.loader.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.progress.Progress;
import dev.cascade.dnssec.compact.CompactRecords;
import dev.cascade.service.ZoneSourceDirectories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

class ZoneLoaderTest {

  private static final String APEX = "example.test.";

  @TempDir Path dir;

  /** The temporary directories (@TempDir) are under java.io.tmpdir. */
  private static final ZoneSourceDirectories TMP = ZoneSourceDirectories.of(System.getProperty("java.io.tmpdir"));

  private final ZoneLoader loader = new ZoneLoader(1 << 20, TMP);

  static String zone(long serial, String extraLine) {
    return String.join(
        "\n",
        "$ORIGIN example.test.",
        "$TTL 3600",
        "@ IN SOA ns1 hostmaster " + serial + " 7200 3600 1209600 3600",
        "@ IN NS ns1",
        "@ IN NS ns2",
        "ns1 IN A 192.0.2.1",
        "ns2 IN A 192.0.2.2",
        extraLine,
        "");
  }

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  @Test
  void firstLoadIsANewVersionWithSerialAndRecords() throws IOException {
    Path file = write("example.test.zone", zone(2024010101, "www IN A 192.0.2.10"));

    LoadOutcome.Loaded loaded =
        assertInstanceOf(LoadOutcome.Loaded.class, loader.load(APEX, file.toString(), Optional.empty()));

    assertEquals(2024010101L, loaded.zone().serial());
    assertEquals(6, loaded.records().size());
    assertTrue(loaded.records().toRecords().stream().anyMatch(r -> r.getType() == Type.SOA));
    // What a reader of the content checks the records it read against (ContentReader).
    assertTrue(CompactRecords.of(loaded.records().toRecords()).hasDigest(loaded.digest()), loaded.digest());
  }

  @Test
  void sameContentAsLastVersionIsUnchanged() throws IOException {
    Path file = write("example.test.zone", zone(7, "www IN A 192.0.2.10"));
    String digest =
        ((LoadOutcome.Loaded) loader.load(APEX, file.toString(), Optional.empty())).digest();

    LoadOutcome again = loader.load(APEX, file.toString(), Optional.of(digest));

    LoadOutcome.Unchanged unchanged = assertInstanceOf(LoadOutcome.Unchanged.class, again);
    assertEquals(digest, unchanged.digest());
    assertEquals(7L, unchanged.serial());
  }

  @Test
  void changedContentIsANewVersionEvenWithTheSameSerial() throws IOException {
    Path file = write("example.test.zone", zone(7, "www IN A 192.0.2.10"));
    String first = ((LoadOutcome.Loaded) loader.load(APEX, file.toString(), Optional.empty())).digest();
    Files.writeString(file, zone(7, "www IN A 192.0.2.11"));

    LoadOutcome.Loaded second =
        assertInstanceOf(LoadOutcome.Loaded.class, loader.load(APEX, file.toString(), Optional.of(first)));

    assertNotEquals(first, second.digest());
  }

  @Test
  void syntaxErrorNamesFileAndLine() throws IOException {
    Path file = write("broken.zone", zone(1, "www IN A 999.1.2.3"));

    LoadOutcome.Failed failed =
        assertInstanceOf(LoadOutcome.Failed.class, loader.load(APEX, file.toString(), Optional.empty()));

    assertEquals(file.toString(), failed.source());
    assertTrue(failed.file().endsWith("broken.zone"), failed.file());
    assertEquals(8, failed.line());
    assertTrue(!failed.reason().isBlank());
  }

  @Test
  void missingFileIsAFailureNotAnException() {
    String missing = dir.resolve("absent.zone").toString();

    LoadOutcome.Failed failed =
        assertInstanceOf(LoadOutcome.Failed.class, loader.load(APEX, missing, Optional.empty()));

    assertEquals(missing, failed.source());
    assertTrue(!failed.reason().isBlank());
  }

  @Test
  void relativeSourceIsRefused() {
    LoadOutcome.Failed failed =
        assertInstanceOf(LoadOutcome.Failed.class, loader.load(APEX, "zones/example.zone", Optional.empty()));

    assertNull(failed.line());
    assertTrue(failed.reason().contains("not absolute"), failed.reason());
  }

  @Test
  void invalidApexIsAFailure() throws IOException {
    Path file = write("example.test.zone", zone(1, "www IN A 192.0.2.10"));

    LoadOutcome.Failed failed =
        assertInstanceOf(
            LoadOutcome.Failed.class, loader.load("bad..name.", file.toString(), Optional.empty()));

    assertTrue(failed.reason().contains("invalid zone name"), failed.reason());
  }

  @Test
  void aZoneFileOverTheConfiguredSizeFailsWithItsSizeAndTheSetting() throws IOException {
    Path file = write("example.test.zone", zone(9, "www IN TXT \"" + "x".repeat(200) + "\""));
    ZoneLoader small = new ZoneLoader(Files.size(file) - 1, TMP);

    LoadOutcome.Failed failed =
        assertInstanceOf(LoadOutcome.Failed.class, small.load(APEX, file.toString(), Optional.empty()));
    LoadOutcome fits = new ZoneLoader(Files.size(file), TMP).load(APEX, file.toString(), Optional.empty());

    assertTrue(failed.reason().contains(Files.size(file) + " bytes"), failed.reason());
    assertTrue(failed.reason().contains("cascade.loader.max-zone-bytes"), failed.reason());
    assertInstanceOf(LoadOutcome.Loaded.class, fits);
  }

  /**
   * A reload after a one-record edit of a zone large enough to be cut into many blocks parses only the changed part
   * of the text, and gives the digest and serial a full parse of the edited file gives.
   */
  @Test
  void aReloadAfterAOneRecordEditParsesOnlyWhatChanged() throws IOException {
    StringBuilder delegations = new StringBuilder();
    for (int i = 0; i < 20000; i++) {
      delegations.append("d").append(i).append(" IN NS ns").append(i % 9).append(".hoster.example.\n");
    }
    Path file = write("example.test.zone", zone(7, delegations.toString()));
    LoadOutcome.Loaded first =
        assertInstanceOf(LoadOutcome.Loaded.class, loader.load(APEX, file.toString(), Optional.empty()));
    assertFalse(first.zone().incremental(), first.zone().how());
    Files.writeString(file, zone(8, delegations.toString().replace("d12500 IN NS ns8.", "d12500 IN NS ns0.")));

    LoadOutcome.Loaded reloaded = assertInstanceOf(LoadOutcome.Loaded.class,
        loader.load(APEX, file.toString(), Optional.of(first.digest()), first.zone().baseline(), Progress.NONE));
    LoadOutcome.Loaded full =
        assertInstanceOf(LoadOutcome.Loaded.class, loader.load(APEX, file.toString(), Optional.empty()));

    assertTrue(reloaded.zone().incremental(), reloaded.zone().how());
    assertFalse(full.zone().incremental(), full.zone().how());
    assertEquals(full.digest(), reloaded.digest());
    assertEquals(8L, reloaded.zone().serial());
    assertNotEquals(first.digest(), reloaded.digest());
  }

  /**
   * Issue 13, item 4: a zone file outside the zone source directories, or a link in them that points out, is never
   * opened, and the refusal quotes nothing of it (here a line that is not a zone record, which a parse error would).
   */
  @Test
  void aFileOutsideTheZoneSourceDirectoriesIsNeverRead() throws Exception {
    Path zones = Files.createDirectories(dir.resolve("zones"));
    Path secret = Files.writeString(dir.resolve("shadow"), "root:$6$secret-hash:19000:0:99999:7:::\n");
    Path link = Files.createSymbolicLink(zones.resolve("link.zone"), secret);
    Path inside = Files.writeString(zones.resolve("example.zone"), zone(1, ""));
    ZoneLoader confined = new ZoneLoader(1 << 20, ZoneSourceDirectories.of(zones.toString()));

    for (Path refused : List.of(secret, link, zones.resolve("../shadow"))) {
      LoadOutcome.Failed failed = assertInstanceOf(LoadOutcome.Failed.class,
          confined.load(APEX, refused.toAbsolutePath().toString(), Optional.empty()));
      assertTrue(failed.reason().contains("is not inside the zone source directories"), failed.reason());
      assertFalse(failed.reason().contains("secret-hash"), failed.reason());
    }
    assertInstanceOf(LoadOutcome.Loaded.class, confined.load(APEX, inside.toString(), Optional.empty()));
  }
}
