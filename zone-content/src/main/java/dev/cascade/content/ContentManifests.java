package dev.cascade.content;

import dev.cascade.events.v1.ContentLocation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.JsonEncoder;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * What a service keeps of a version's {@link ContentLocation} in its own tables, and when a new version goes out whole
 * rather than as a difference.
 *
 * <p>A difference's location holds its chain, a list that does not fit table columns; services keep it as the
 * location's Avro JSON encoding (Avro 1.11 specification, "JSON Encoding"), which the same schema reads back.
 */
public final class ContentManifests {

  /**
   * Longest chain of differences after a whole version: at most this many differences are read and applied to
   * rebuild a version (and replayed after a restart); no official reference, chosen so that a rebuild reads one whole
   * version and a few small differences.
   */
  public static final int MAX_CHAIN = 10;

  /**
   * Chain length at which a writer copies a version whole in the background ({@link BackgroundSnapshots}), so that
   * the next differences start from the copy and no version has to go out whole on its way to publication. Half of
   * {@link #MAX_CHAIN}: the copy has as many versions' time to be written before one would have to; no official
   * reference.
   */
  public static final int SNAPSHOT_CHAIN = MAX_CHAIN / 2;

  /**
   * Largest difference sent as one, in % of the version's records: a larger one costs about as much to send as the
   * whole version, and the next rebuild is cheaper from a whole version. 20 %, reference Cascade's {@code
   * [server.outbound] max-diffs-size}, the size past which it stops keeping differences.
   */
  public static final int MAX_DIFFERENCE_PERCENT = 20;

  private ContentManifests() {}

  /**
   * Whether the version after {@code base} goes out whole: when the chain would grow past {@link #MAX_CHAIN}, or
   * the difference holds more than {@link #MAX_DIFFERENCE_PERCENT} % of the version's records.
   */
  public static boolean wholeVersionDue(ContentLocation base, long differenceRecords, long versionRecords) {
    return base.getChain().size() + 1 >= MAX_CHAIN
        || differenceRecords * 100 > (long) MAX_DIFFERENCE_PERCENT * versionRecords;
  }

  /** The location as Avro JSON text. */
  public static String toJson(ContentLocation location) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      JsonEncoder encoder = EncoderFactory.get().jsonEncoder(ContentLocation.getClassSchema(), out);
      new SpecificDatumWriter<>(ContentLocation.class).write(location, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("in-memory JSON encoding failed", e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /**
   * The location {@link #toJson} wrote.
   *
   * @throws IllegalArgumentException if the text is not such a location
   */
  public static ContentLocation fromJson(String json) {
    try {
      return new SpecificDatumReader<>(ContentLocation.class)
          .read(null, DecoderFactory.get().jsonDecoder(ContentLocation.getClassSchema(), json));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("not a content location: " + e.getMessage(), e);
    }
  }
}
