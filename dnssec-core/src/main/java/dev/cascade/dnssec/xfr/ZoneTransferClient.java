package dev.cascade.dnssec.xfr;

import dev.cascade.dnssec.serial.SerialPolicy;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.ZoneTransferException;
import org.xbill.DNS.ZoneTransferIn;

/**
 * Refreshes a zone from its primary: an SOA query (RFC 1035 §4.3.5), then, when the primary's serial is newer (RFC
 * 1982), an IXFR from the serial held (RFC 1995) with AXFR fallback, or an AXFR (RFC 5936) when no version is held or
 * a full transfer is asked for. dnsjava's {@link ZoneTransferIn} speaks both transfers.
 *
 * <p>An IXFR's differences are applied to the records of the last transfer, as received; the result is the whole zone
 * as an AXFR of the same serial would give it, so what the caller makes of it (normalised, digested) is the same
 * either way. Every failure comes back as a {@link TransferFailure} with its cause, never as an exception: a transfer
 * cut off halfway or malformed yields no records at all, and so changes nothing.
 *
 * <p>Blocking network I/O: callers run it on a thread of their own.
 */
public final class ZoneTransferClient {

  private final Duration timeout;

  /** @param timeout how long the SOA query, and each transfer, may take */
  public ZoneTransferClient(Duration timeout) {
    this.timeout = timeout;
  }

  /** The outcome of one refresh. */
  public sealed interface Outcome {}

  /**
   * The primary's serial is not newer than the one held: nothing to transfer (a successful refresh all the same).
   *
   * @param soa the primary's SOA
   */
  public record Current(SOARecord soa) implements Outcome {}

  /**
   * A transfer brought the zone at a newer serial.
   *
   * @param records the whole zone, as an AXFR gives it (the closing SOA dropped)
   * @param soa the zone's new SOA
   * @param kind "IXFR" or "AXFR", the transfer that was done (an IXFR the primary answered in full counts as AXFR)
   */
  public record Transferred(List<Record> records, SOARecord soa, String kind) implements Outcome {}

  /** The refresh failed; nothing changed. */
  public record Failed(TransferFailure failure) implements Outcome {}

  /**
   * Refreshes {@code zone} from {@code primary}.
   *
   * @param held the records of the last transfer of the zone, as received (its SOA gives the serial held), or null
   *     when none is held: an AXFR is done if the primary's serial differs from {@code heldSerial}
   * @param heldSerial the serial of the version held, or -1 when none: any serial is then new
   * @param full whether to transfer the whole zone (AXFR) even when {@code held} would allow an IXFR, and even when
   *     the serial is not newer ({@code zone reload})
   * @param tsig the TSIG key transfers and queries are signed with, or null
   */
  public Outcome refresh(Name zone, InetSocketAddress primary, List<Record> held, long heldSerial, boolean full,
      TSIG tsig) {
    String from = primary.getAddress().getHostAddress() + " port " + primary.getPort();
    SOARecord soa;
    try {
      soa = querySoa(zone, primary, tsig, from);
    } catch (FailedException e) {
      return new Failed(e.failure);
    }
    if (!full && heldSerial >= 0 && !SerialPolicy.greater(soa.getSerial(), heldSerial)) {
      return new Current(soa);
    }
    boolean ixfr = !full && held != null && heldSerial >= 0;
    ZoneTransferIn xfr = ixfr
        ? ZoneTransferIn.newIXFR(zone, heldSerial, true, primary, tsig)
        : ZoneTransferIn.newAXFR(zone, primary, tsig);
    xfr.setTimeout(timeout);
    try {
      xfr.run();
    } catch (IOException | ZoneTransferException e) {
      return new Failed(classify(e, (ixfr ? "IXFR" : "AXFR") + " from " + from));
    }
    try {
      if (xfr.isCurrent()) {
        return new Current(soa);
      }
      if (xfr.isIXFR()) {
        List<Record> records = applyDeltas(held, heldSerial, xfr.getIXFR());
        return new Transferred(records, soaOf(records, zone), "IXFR");
      }
      List<Record> records = withoutClosingSoa(xfr.getAXFR());
      return new Transferred(records, soaOf(records, zone), "AXFR");
    } catch (FailedException e) {
      return new Failed(new TransferFailure(TransferFailure.Cause.MALFORMED,
          (ixfr ? "IXFR" : "AXFR") + " from " + from + ": " + e.failure.reason()));
    }
  }

  private SOARecord querySoa(Name zone, InetSocketAddress primary, TSIG tsig, String from) throws FailedException {
    Message response;
    try {
      SimpleResolver resolver = new SimpleResolver(primary);
      resolver.setTimeout(timeout);
      resolver.setTSIGKey(tsig);
      response = resolver.send(Message.newQuery(Record.newRecord(zone, Type.SOA, DClass.IN)));
    } catch (IOException e) {
      throw new FailedException(classify(e, "SOA query to " + from));
    }
    if (tsig != null && !response.isVerified()) {
      throw new FailedException(new TransferFailure(TransferFailure.Cause.TSIG,
          "the answer to the SOA query from " + from + " has no valid TSIG"));
    }
    int rcode = response.getRcode();
    if (rcode != Rcode.NOERROR) {
      throw new FailedException(new TransferFailure(TransferFailure.Cause.REFUSED,
          "SOA query to " + from + " answered with rcode " + Rcode.string(rcode)));
    }
    if (!response.getHeader().getFlag(Flags.AA)) {
      throw new FailedException(new TransferFailure(TransferFailure.Cause.NOT_AUTHORITATIVE,
          from + " answered the SOA query for " + zone + " without authority (no AA bit)"));
    }
    for (Record r : response.getSection(Section.ANSWER)) {
      if (r instanceof SOARecord soa && r.getName().equals(zone)) {
        return soa;
      }
    }
    throw new FailedException(new TransferFailure(TransferFailure.Cause.NOT_AUTHORITATIVE,
        from + " answered the SOA query for " + zone + " with no SOA record of the zone"));
  }

  /** The cause of a failed query or transfer, from what dnsjava threw. */
  static TransferFailure classify(Exception e, String what) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (e instanceof SocketTimeoutException || message.toLowerCase().contains("timed out")) {
      return new TransferFailure(TransferFailure.Cause.TIMEOUT, what + " timed out");
    }
    if (e instanceof ConnectException) {
      return new TransferFailure(TransferFailure.Cause.UNREACHABLE, what + ": " + message);
    }
    if (e instanceof EOFException) {
      return new TransferFailure(TransferFailure.Cause.MALFORMED, what + " was cut off: " + message);
    }
    if (e instanceof ZoneTransferException) {
      // dnsjava fails a transfer answered with an error rcode with the rcode's name alone as the message.
      if (Rcode.value(message) > 0) {
        return new TransferFailure(TransferFailure.Cause.REFUSED, what + " answered with rcode " + message);
      }
      if (message.toLowerCase().contains("tsig")) {
        return new TransferFailure(TransferFailure.Cause.TSIG, what + ": " + message);
      }
      return new TransferFailure(TransferFailure.Cause.MALFORMED, what + ": " + message);
    }
    if (message.toLowerCase().contains("tsig")) {
      return new TransferFailure(TransferFailure.Cause.TSIG, what + ": " + message);
    }
    return new TransferFailure(TransferFailure.Cause.UNREACHABLE, what + ": " + message);
  }

  /**
   * The zone after the IXFR differences (RFC 1995 §4): each deletes records of the version it starts from and adds
   * those of the next; a deletion of a record not held, or a sequence that does not start at the serial held, is a
   * malformed transfer.
   */
  static List<Record> applyDeltas(List<Record> held, long heldSerial, List<ZoneTransferIn.Delta> deltas)
      throws FailedException {
    // dnsjava's Record.equals compares owner, type, class and RDATA, not the TTL: an RRset's TTL changes with a
    // deletion and an addition of the same records, which therefore must go through a set keyed that way.
    Set<Record> zone = new LinkedHashSet<>(held);
    long serial = heldSerial;
    for (ZoneTransferIn.Delta delta : deltas) {
      if (delta.start != serial) {
        throw new FailedException(new TransferFailure(TransferFailure.Cause.MALFORMED,
            "a difference starts at serial " + delta.start + ", not at " + serial));
      }
      for (Record gone : delta.deletes) {
        if (!zone.remove(gone)) {
          throw new FailedException(new TransferFailure(TransferFailure.Cause.MALFORMED,
              "a difference deletes a record that is not in the zone: " + gone));
        }
      }
      for (Record added : delta.adds) {
        zone.remove(added);
        zone.add(added);
      }
      serial = delta.end;
    }
    return new ArrayList<>(zone);
  }

  private static List<Record> withoutClosingSoa(List<Record> records) {
    if (records.size() > 1 && records.get(records.size() - 1) instanceof SOARecord
        && records.get(0) instanceof SOARecord) {
      return records.subList(0, records.size() - 1);
    }
    return records;
  }

  private static SOARecord soaOf(List<Record> records, Name zone) throws FailedException {
    SOARecord found = null;
    for (Record r : records) {
      if (r instanceof SOARecord soa && r.getName().equals(zone)) {
        if (found != null) {
          throw new FailedException(new TransferFailure(TransferFailure.Cause.MALFORMED,
              "the zone has more than one SOA record"));
        }
        found = soa;
      }
    }
    if (found == null) {
      throw new FailedException(new TransferFailure(TransferFailure.Cause.MALFORMED, "the zone has no SOA record"));
    }
    return found;
  }

  /** A failure found deep in a refresh, carried out to {@link #refresh} as its value. */
  static final class FailedException extends Exception {
    final TransferFailure failure;

    FailedException(TransferFailure failure) {
      super(failure.reason(), null, false, false);
      this.failure = failure;
    }
  }
}
