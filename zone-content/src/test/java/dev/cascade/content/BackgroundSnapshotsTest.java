package dev.cascade.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.cascade.dnssec.compact.CompactDiff;
import dev.cascade.dnssec.compact.CompactRecords;
import dev.cascade.events.Topics;
import dev.cascade.events.registry.SchemaRegistration;
import dev.cascade.events.v1.ContentLocation;
import dev.cascade.events.v1.ZoneContentChunk;
import dev.cascade.service.kafka.KafkaSettings;
import dev.cascade.testinfra.Services;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;

/** Whole copies written in the background on a real broker, and the chains that start from them. */
class BackgroundSnapshotsTest {

  private static final String TOPIC = "cascade.test-snapshots." + UUID.randomUUID();
  /**
   * Long enough that announcing the next version (a write to the broker) ends before the copy is made, on a loaded
   * machine too: with 300 ms the second test once saw the copy before it announced the version it expects to be
   * announced without it.
   */
  private static final Duration DELAY = Duration.ofSeconds(2);
  private static ContentWriter writer;
  private static ContentReader reader;

  @BeforeAll
  static void connect() {
    SchemaRegistration.register(
        Services.registryUrl(), List.of(new Topics.Topic(TOPIC, "test", ZoneContentChunk.class)), System.out);
    writer = new ContentWriter(KafkaSettings.producer(Services.kafkaBootstrap(), Services.registryUrl()));
    reader = new ContentReader(KafkaSettings.consumer(Services.kafkaBootstrap(), Services.registryUrl()));
  }

  @AfterAll
  static void disconnect() {
    writer.close();
    reader.close();
  }

  private static BackgroundSnapshots snapshots() {
    return new BackgroundSnapshots(
        new ContentWriter(KafkaSettings.producer(Services.kafkaBootstrap(), Services.registryUrl())), TOPIC, DELAY);
  }

  /** A zone's versions as a writer makes them: v0 whole, then each one record more, as a difference. */
  private static final class Versions {
    private final String apex;
    private final BackgroundSnapshots snapshots;
    private final List<Record> records = new ArrayList<>();
    private String versionId = "v0";
    private ContentLocation location;

    Versions(String apex, BackgroundSnapshots snapshots) throws Exception {
      this.apex = apex;
      this.snapshots = snapshots;
      for (int i = 0; i < 50; i++) {
        records.add(txt("base" + i, i));
      }
      records.sort(null);
      location = writer.write(TOPIC, apex, versionId, CompactRecords.of(records));
    }

    /** The next version, written as its difference from the base the snapshots name, then announced. */
    ContentLocation next(int v) throws Exception {
      List<Record> before = new ArrayList<>(records);
      records.add(txt("change" + v, v));
      records.sort(null);
      CompactRecords now = CompactRecords.of(records);
      ContentLocation base = snapshots.baseOf(apex, versionId, location);
      String id = "v" + v;
      location = writer.write(TOPIC, apex, id,
          new ContentWriter.Difference(versionId, base, CompactDiff.between(CompactRecords.of(before), now)), now);
      versionId = id;
      snapshots.announced(apex, id, now, location);
      assertEquals(records, reader.readCompact(location, apex, id).toRecords(), "version " + id);
      return location;
    }

    private Record txt(String owner, int value) throws Exception {
      return new TXTRecord(Name.fromString(owner, Name.fromString(apex)), DClass.IN, 3600, "value " + value);
    }
  }

  /** The base the snapshots name for {@code versionId}, once its copy is written (or after twice the delay). */
  private static ContentLocation awaitBase(
      BackgroundSnapshots snapshots, String apex, String versionId, ContentLocation announced) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    ContentLocation base = snapshots.baseOf(apex, versionId, announced);
    while (base == announced && System.nanoTime() < deadline) {
      Thread.sleep(50);
      base = snapshots.baseOf(apex, versionId, announced);
    }
    return base;
  }

  @Test
  void aVersionWhoseChainReachedTheSnapshotLengthIsCopiedWholeAndTheNextChainStartsFromTheCopy() throws Exception {
    try (BackgroundSnapshots snapshots = snapshots()) {
      Versions zone = new Versions("copied.test.", snapshots);
      ContentLocation at = null;
      for (int v = 1; v < ContentManifests.SNAPSHOT_CHAIN; v++) {
        at = zone.next(v);
      }
      Thread.sleep(2 * DELAY.toMillis());
      assertSame(at, snapshots.baseOf("copied.test.", zone.versionId, at), "a short chain is not copied");

      at = zone.next(ContentManifests.SNAPSHOT_CHAIN);
      assertEquals(ContentManifests.SNAPSHOT_CHAIN, at.getChain().size());
      ContentLocation copy = awaitBase(snapshots, "copied.test.", zone.versionId, at);

      assertNull(copy.getBase(), "the copy is a whole version");
      assertEquals(at.getDigest(), copy.getDigest());
      assertEquals(zone.records, reader.readCompact(copy, "copied.test.", zone.versionId).toRecords());
      ContentLocation after = zone.next(ContentManifests.SNAPSHOT_CHAIN + 1);
      assertEquals(1, after.getChain().size(), "the chain starts again from the copy");
      assertEquals(zone.records.size(), after.getRecordCount());
    }
  }

  @Test
  void versionsAnnouncedWhileACopyIsMadeStartTheirChainsFromItAndAForgottenZoneHasNoCopy() throws Exception {
    try (BackgroundSnapshots snapshots = snapshots()) {
      Versions zone = new Versions("rebased.test.", snapshots);
      for (int v = 1; v <= ContentManifests.SNAPSHOT_CHAIN; v++) {
        zone.next(v);
      }
      String copied = zone.versionId;
      ContentLocation newer = zone.next(ContentManifests.SNAPSHOT_CHAIN + 1);
      assertEquals(ContentManifests.SNAPSHOT_CHAIN + 1, newer.getChain().size(), "announced before the copy exists");

      ContentLocation rebased = awaitBase(snapshots, "rebased.test.", zone.versionId, newer);
      assertEquals(1, rebased.getChain().size(), "the chain starts from the copy of " + copied);
      assertEquals(copied, rebased.getChain().get(0).getVersionId());
      assertNull(rebased.getChain().get(0).getBase(), "the copy is a whole version");
      assertEquals(ContentLocation.newBuilder(newer).setChain(rebased.getChain()).build(), rebased,
          "the version's own chunks are named as announced");
      assertEquals(zone.records, reader.readCompact(rebased, "rebased.test.", zone.versionId).toRecords());
      ContentLocation after = zone.next(ContentManifests.SNAPSHOT_CHAIN + 2);
      assertEquals(2, after.getChain().size(), "the copy, then the difference announced before it was written");

      snapshots.forget("rebased.test.");
      assertSame(after, snapshots.baseOf("rebased.test.", zone.versionId, after));
    }
  }
}
