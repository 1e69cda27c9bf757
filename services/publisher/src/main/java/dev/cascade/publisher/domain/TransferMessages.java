package dev.cascade.publisher.domain;

import dev.cascade.dnssec.compact.CompactRecords;
import java.io.IOException;
import java.util.Arrays;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIGRecord;

/**
 * Writes the messages of one zone transfer (RFC 5936 §2.2, RFC 1995 §4) straight from {@link CompactRecords}, one
 * message at a time into a reused buffer and out to the connection, so a transfer of a million-record zone holds one
 * 64 KiB message in memory, not the zone. Every message repeats the question (RFC 5936 §2.2.1 allows it), so each owner
 * name can point at the apex in it: an owner is written as its labels below the apex and a compression pointer (RFC
 * 1035 §4.1.4) to the question name, or as a pointer to its first copy in the message. RDATA is copied as it is,
 * uncompressed (RFC 3597 §4 forbids compressing new types' RDATA; for the old ones it is optional).
 *
 * <p>For a request signed with TSIG, every message ends with its TSIG RR (RFC 8945 §5.3.1 allows up to 99 unsigned
 * messages in between, but BIND and Knot sign each, and clients then never hold unverified data for long); room for it
 * is kept in each message.
 */
final class TransferMessages {

  /** Offset of the question name in every message: right after the 12-octet header (RFC 1035 §4.1.1). */
  private static final int QUESTION_NAME_AT = 12;

  /** A compression pointer can only reach the first 16 KiB of a message: 14 bits of offset (RFC 1035 §4.1.4). */
  private static final int POINTER_LIMIT = 0x3fff;

  /** OPT pseudo-record without options (RFC 6891 §6.1.2): root name, TYPE 41, CLASS = our UDP payload size. */
  private static final byte[] OPT = {0, 0, 41, (byte) (DnsResponder.EDNS_UDP_SIZE >> 8),
      (byte) DnsResponder.EDNS_UDP_SIZE, 0, 0, 0, 0, 0, 0};

  private final DnsResponder.Sink sink;
  private final Message query;
  /** Signs each message; null for an unsigned request. */
  private final ResponseSigner.Stream signer;
  private final byte[] buffer = new byte[DnsResponder.TCP_MESSAGE_SIZE];
  private final int flags;
  private final int id;
  private final byte[] question;
  private final boolean withOpt;
  /** Length of the apex name in wire format: every owner ends with it. */
  private final int apexLength;
  private int position;
  private int answers;
  /** Where the current owner name was written in this message, or -1 if it cannot be pointed at. */
  private int ownerAt = -1;

  /** @param signer signs the messages, or null to send them unsigned */
  TransferMessages(Message query, int apexLength, DnsResponder.Sink sink, ResponseSigner signer) {
    this.sink = sink;
    this.query = query;
    this.signer = signer == null ? null : signer.stream();
    this.apexLength = apexLength;
    this.id = query.getHeader().getID();
    // QR, the query's opcode, AA, and RD if the query had it (RFC 1035 §4.1.1).
    int f = 0x8000 | (query.getHeader().getOpcode() << 11) | 0x0400;
    if (query.getHeader().getFlag(Flags.RD)) {
      f |= 0x0100;
    }
    this.flags = f;
    this.question = query.getQuestion().toWire(Section.QUESTION);
    this.withOpt = query.getOPT() != null;
    start();
  }

  /** Adds a record given as a dnsjava object (the SOA records of a transfer), uncompressed. */
  void add(Record record) throws IOException {
    byte[] wire = record.toWire(Section.ANSWER);
    makeRoom(wire.length);
    System.arraycopy(wire, 0, buffer, position, wire.length);
    position += wire.length;
    answers++;
    ownerAt = -1;
  }

  /** Adds the cursor's current record, its owner name compressed. */
  void add(CompactRecords.Cursor cursor) throws IOException {
    makeRoom(cursor.ownerLength() + cursor.rrLength());
    byte[] page = cursor.page();
    if (cursor.firstOfOwner() || ownerAt < 0) {
      int start = position;
      int labelsBelowApex = cursor.ownerLength() - apexLength;
      System.arraycopy(page, cursor.ownerOffset(), buffer, position, labelsBelowApex);
      position += labelsBelowApex;
      pointer(QUESTION_NAME_AT);
      ownerAt = labelsBelowApex == 0 ? QUESTION_NAME_AT : start <= POINTER_LIMIT ? start : -1;
    } else {
      pointer(ownerAt);
    }
    System.arraycopy(page, cursor.rrOffset(), buffer, position, cursor.rrLength());
    position += cursor.rrLength();
    answers++;
  }

  /** Sends the last message. */
  void finish() throws IOException {
    flush();
  }

  private void pointer(int offset) {
    buffer[position++] = (byte) (0xc0 | (offset >> 8));
    buffer[position++] = (byte) offset;
  }

  /** Sends the current message and starts the next if {@code length} more octets would not fit. */
  private void makeRoom(int length) throws IOException {
    int reserved = (withOpt ? OPT.length : 0) + (signer == null ? 0 : signer.maxLength());
    if (position + length + reserved > DnsResponder.TCP_MESSAGE_SIZE && answers > 0) {
      flush();
      start();
    }
  }

  private void start() {
    position = QUESTION_NAME_AT;
    System.arraycopy(question, 0, buffer, position, question.length);
    position += question.length;
    answers = 0;
    ownerAt = -1;
  }

  private void flush() throws IOException {
    if (withOpt) {
      System.arraycopy(OPT, 0, buffer, position, OPT.length);
      position += OPT.length;
    }
    int additional = withOpt ? 1 : 0;
    writeHeader(additional);
    if (signer != null) {
      // The MAC covers the message as it is without its TSIG RR, ARCOUNT not counting it (RFC 8945 §4.3.1).
      TSIGRecord tsig = signer.next(query, Arrays.copyOf(buffer, position));
      byte[] wire = tsig.toWire(Section.ADDITIONAL);
      System.arraycopy(wire, 0, buffer, position, wire.length);
      position += wire.length;
      writeHeader(additional + 1);
    }
    sink.send(buffer, position);
  }

  private void writeHeader(int additional) {
    int[] header = {id, flags, 1, answers, 0, additional};
    for (int i = 0; i < header.length; i++) {
      buffer[2 * i] = (byte) (header[i] >> 8);
      buffer[2 * i + 1] = (byte) header[i];
    }
  }
}
