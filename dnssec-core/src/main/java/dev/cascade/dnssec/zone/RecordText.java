package dev.cascade.dnssec.zone;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Tokenizer;
import org.xbill.DNS.Type;

/**
 * The first chunk codec of zone content: gzip-compressed presentation format (RFC 1035 §5.1), one record
 * per line, owner name, TTL, class and type always explicit and every name absolute. Types dnsjava
 * does not know are written in the RFC 3597 §5 generic form ({@code TYPEnnn \# len hex}), so every
 * record round-trips to the same wire form. Content is now written in wire format; this codec stays so that content
 * written before can be read on a replay, and its encoder is the reference for what those chunks hold.
 */
public final class RecordText {
  private RecordText() {}

  /** Encodes records as gzip-compressed UTF-8 lines, one record per line. */
  public static byte[] gzipLines(Iterable<Record> records) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      StringBuilder line = new StringBuilder(128);
      for (Record r : records) {
        line.setLength(0);
        line.append(r).append('\n');
        gz.write(line.toString().getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("in-memory gzip failed", e);
    }
    return bytes.toByteArray();
  }

  /**
   * Decodes what {@link #gzipLines} produced.
   *
   * @throws IllegalArgumentException if the bytes are not gzip or a line is not a valid record
   */
  public static List<Record> parseGzipLines(byte[] gz) {
    List<Record> records = new ArrayList<>();
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz));
        Tokenizer st = new Tokenizer(in)) {
      while (true) {
        Tokenizer.Token t = st.get();
        if (t.type() == Tokenizer.EOF) {
          return records;
        }
        if (t.type() == Tokenizer.EOL) {
          continue;
        }
        st.unget();
        Name name = st.getName(Name.root);
        long ttl = st.getTTL();
        int dclass = DClass.value(st.getString());
        int type = Type.value(st.getString());
        if (dclass < 0 || type < 0) {
          throw st.exception("bad class or type");
        }
        records.add(Record.fromString(name, type, dclass, ttl, st, Name.root));
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("not a valid record chunk: " + e.getMessage(), e);
    }
  }
}
