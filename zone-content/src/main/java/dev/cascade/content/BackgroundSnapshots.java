package dev.cascade.content;

import dev.cascade.dnssec.compact.CompactRecords;
import dev.cascade.events.v1.ContentLocation;
import dev.cascade.events.v1.ContentSegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Whole copies of a writer's versions, written off the change path. A version announced as a difference names its
 * chain back to a whole version; once that chain is {@link ContentManifests#SNAPSHOT_CHAIN} long, the version is
 * written whole once more, in the background, and the differences after it name that copy where their chains named
 * the whole version and the differences up to the copied one, so their chains start again from there. Without it,
 * every {@link ContentManifests#MAX_CHAIN}th version had to go out whole on its way to publication: about 12 s for a
 * change in a 1 M-delegation zone, against 2 s for one sent as a difference (issue 8). The copy is the version's
 * content, under its versionId and digest, so a reader of the chain cannot tell it from a version written whole.
 *
 * <p>One copy per zone is in the making at a time, of the first version that was due: versions announced meanwhile
 * take it up once it is written, whatever their number, so a zone that changes faster than a copy is written still
 * gets one. Nothing depends on a copy being written: until it is, or after a restart, which forgets it, differences
 * name the announced chain, and {@link ContentManifests#wholeVersionDue} still sends a version whole when the chain
 * is at its limit. Copies go through a content writer of their own, so that a change's chunks never queue behind them
 * in the producer, on one thread.
 */
public final class BackgroundSnapshots implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(BackgroundSnapshots.class);

  /**
   * How long the services wait after an announcement before copying the version: a change in a 1 M-delegation zone
   * takes about 2 s from the loader to publication on 2 cores (docs/benchmark.md), and the copy (several seconds of
   * compression and writing at that size) should come after it; no official reference.
   */
  public static final Duration DELAY = Duration.ofSeconds(5);

  /** A whole copy of {@code versionId}, written at {@code location}. */
  private record Snapshot(String versionId, ContentLocation location) {}

  private final ContentWriter writer;
  private final String topic;
  private final Duration delay;
  private final ScheduledExecutorService thread;
  /** Per zone, the last copy written. */
  private final Map<String, Snapshot> written = new ConcurrentHashMap<>();
  /** Per zone, the version whose copy is in the making. */
  private final Map<String, String> pending = new ConcurrentHashMap<>();

  /**
   * @param writer a writer for the copies alone; closed with this
   * @param topic the content topic the writer's versions are on
   * @param delay how long after the announcement a copy is written: the version is then on its way through the
   *     pipeline, and the copy should not take cores from it
   */
  public BackgroundSnapshots(ContentWriter writer, String topic, Duration delay) {
    this.writer = writer;
    this.topic = topic;
    this.delay = delay;
    this.thread = Executors.newSingleThreadScheduledExecutor(work -> {
      Thread worker = new Thread(work, "content-snapshots");
      worker.setDaemon(true);
      return worker;
    });
  }

  /**
   * Where {@code versionId} of {@code zone}, announced at {@code announced}, is to be read as the base of a
   * difference: its whole copy, if one was written; {@code announced} with its chain starting from the copy, if one
   * was written of a version in that chain; else {@code announced} as it is.
   */
  public ContentLocation baseOf(String zone, String versionId, ContentLocation announced) {
    Snapshot copy = written.get(zone);
    if (copy == null) {
      return announced;
    }
    if (copy.versionId().equals(versionId)) {
      return copy.location();
    }
    List<ContentSegment> chain = announced.getChain();
    for (int i = 0; i < chain.size(); i++) {
      if (chain.get(i).getVersionId().equals(copy.versionId())) {
        List<ContentSegment> fromCopy = new ArrayList<>();
        fromCopy.add(ContentSegment.newBuilder()
            .setVersionId(copy.versionId())
            .setPartition(copy.location().getPartition())
            .setFirstOffset(copy.location().getFirstOffset())
            .setLastOffset(copy.location().getLastOffset())
            .setChunkCount(copy.location().getChunkCount())
            .build());
        fromCopy.addAll(chain.subList(i + 1, chain.size()));
        return ContentLocation.newBuilder(announced).setChain(fromCopy).build();
      }
    }
    return announced;
  }

  /**
   * Tells that {@code versionId}, holding {@code records}, was announced at {@code location}: a copy of it is written
   * after the delay if its chain is long enough and no copy of the zone is in the making.
   */
  public void announced(String zone, String versionId, CompactRecords records, ContentLocation location) {
    if (location.getChain().size() < ContentManifests.SNAPSHOT_CHAIN || pending.putIfAbsent(zone, versionId) != null) {
      return;
    }
    thread.schedule(() -> write(zone, versionId, records), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Forgets the zone's copies (a removed zone). */
  public void forget(String zone) {
    pending.remove(zone);
    written.remove(zone);
  }

  private void write(String zone, String versionId, CompactRecords records) {
    if (!versionId.equals(pending.get(zone))) {
      return;
    }
    try {
      ContentLocation location = writer.write(topic, zone, versionId, records);
      if (pending.remove(zone, versionId)) {
        written.put(zone, new Snapshot(versionId, location));
        LOG.infof("zone %s version %s: a whole copy written (%d records), the next differences start from it",
            zone, versionId, records.size());
      }
    } catch (RuntimeException e) {
      // Only the chain's length depends on it: the next versions name the announced chain.
      LOG.warnf("zone %s version %s: no whole copy written, differences go on naming the announced chain: %s",
          zone, versionId, e.getMessage());
      pending.remove(zone, versionId);
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
    writer.close();
  }
}
