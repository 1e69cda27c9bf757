package dev.cascade.dnssec.zone;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Writes records as an RFC 1035 §5 master file, one record per line, fields separated by tabs as dnsjava's
 * {@link Record#toString()} does. RRSIGs, most of a signed zone, are formatted here rather than by dnsjava (which
 * formats both timestamps through a {@link DateTimeFormatter} and base64 through a stream for every record); the
 * owner's text is reused while consecutive records share it, and an NS target's while its name object recurs.
 * Everything else uses dnsjava's presentation form.
 */
public final class ZoneFileWriter {
  /** RFC 4034 §3.2: signature times as YYYYMMDDHHmmSS in UTC. */
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuuMMddHHmmss", Locale.ROOT)
      .withZone(ZoneOffset.UTC);

  private final Writer out;
  private final StringBuilder line = new StringBuilder(256);
  private Name lastOwner;
  private String lastOwnerText;
  private Name lastSigner;
  private String lastSignerText;
  private final Instant[] times = new Instant[2];
  /** Slots of the NS target cache: a power of two, enough for the name servers of the hosters of a large TLD. */
  private static final int TARGET_SLOTS = 1 << 12;
  private final Name[] targets = new Name[TARGET_SLOTS];
  private final String[] targetTexts = new String[TARGET_SLOTS];
  private final String[] timeTexts = new String[2];

  /** A writer of records to {@code out}, which it neither flushes nor closes. */
  public ZoneFileWriter(Writer out) {
    this.out = out;
  }

  /** Writes every record, in the order given, to {@code out} (not closed, not flushed). */
  public static void write(Iterable<Record> records, Writer out) throws IOException {
    ZoneFileWriter w = new ZoneFileWriter(out);
    for (Record r : records) {
      w.write(r);
    }
  }

  /** Writes one record as one line. */
  public void write(Record r) throws IOException {
    line.setLength(0);
    Name owner = r.getName();
    if (owner != lastOwner) {
      lastOwner = owner;
      lastOwnerText = owner.toString();
    }
    line.append(lastOwnerText).append('\t').append(r.getTTL()).append("\tIN\t").append(Type.string(r.getType()))
        .append('\t');
    if (r instanceof RRSIGRecord sig) {
      Name signer = sig.getSigner();
      if (signer != lastSigner) {
        lastSigner = signer;
        lastSignerText = signer.toString();
      }
      line.append(Type.string(sig.getTypeCovered())).append(' ').append(sig.getAlgorithm()).append(' ')
          .append(sig.getLabels()).append(' ').append(sig.getOrigTTL()).append(' ').append(time(sig.getExpire()))
          .append(' ').append(time(sig.getTimeSigned())).append(' ').append(sig.getFootprint()).append(' ')
          .append(lastSignerText).append(' ').append(Base64.getEncoder().encodeToString(sig.getSignature()));
    } else if (r instanceof NSRecord ns) {
      line.append(targetText(ns.getTarget()));
    } else {
      line.append(r.rdataToString());
    }
    line.append('\n');
    out.append(line);
  }

  /**
   * The text of an NS target (dnsjava's presentation of NS RDATA is the name), remembered by identity: the parser
   * shares one name object per name server, and a TLD's delegations name the same hosters' servers again and again.
   */
  private String targetText(Name target) {
    int slot = System.identityHashCode(target) & (TARGET_SLOTS - 1);
    if (targets[slot] != target) {
      targets[slot] = target;
      targetTexts[slot] = target.toString();
    }
    return targetTexts[slot];
  }

  /** A signature time, remembering the last two (a signing run uses one inception and one expiration). */
  private String time(Instant t) {
    for (int i = 0; i < times.length; i++) {
      if (t.equals(times[i])) {
        return timeTexts[i];
      }
    }
    times[1] = times[0];
    timeTexts[1] = timeTexts[0];
    times[0] = t;
    timeTexts[0] = TIME.format(t);
    return timeTexts[0];
  }
}
