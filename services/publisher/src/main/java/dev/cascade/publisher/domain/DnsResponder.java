package dev.cascade.publisher.domain;

import dev.cascade.dnssec.compact.CompactRecords;
import dev.cascade.dnssec.tsig.TsigKeys;
import dev.cascade.dnssec.tsig.TsigRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jboss.logging.Logger;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Serial;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Type;

/**
 * Answers DNS queries for the zones of one server, as a hidden primary does: queries at a served apex (the SOA, and
 * the DNSKEY, CDS, CDNSKEY and NS RRsets, with their RRSIGs when the query sets DO, RFC 4035 §3.1.1), AXFR over TCP
 * (RFC 5936), and IXFR (RFC 1995) from the differences the served version keeps, in the full-transfer form when the
 * client's serial is older than that history (RFC 1995 §4 lets a server answer with the whole zone). Transfers are
 * written message by message to the connection ({@link TransferMessages}). Everything else is refused: this server is
 * not meant to answer resolvers. The reference answers SOA/AXFR/IXFR only; the apex RRsets are what a key roll's
 * propagation check asks the publication servers for (the DNSKEY RRset, RFC 7583 §3.3), Cascade's own included.
 *
 * <p>TSIG (RFC 8945): a signed request is verified first, whatever it asks; one that fails is answered NOTAUTH with
 * the TSIG error (§5.2), and the answers to one that verified are signed with its key, every message of a transfer
 * included (§5.3.1). The ACL may ask a client for a key ({@link TransferAcl}): its transfers, and its SOA queries,
 * which are how a secondary checks for a new serial, are refused without it. Every refusal is logged with its reason.
 *
 * <p>Apex answers and transfers carry the AA bit: secondaries such as BIND reject a non-authoritative SOA during a
 * refresh check (RFC 1034 §4.3.5 has the secondary compare the primary's SOA serial).
 */
public final class DnsResponder {

  /** Where the response messages go, one at a time: a UDP datagram or the TCP connection. */
  public interface Sink {
    /** Sends the first {@code length} octets of {@code message}; the array may be reused once this returns. */
    void send(byte[] message, int length) throws IOException;
  }

  /** How the query arrived: UDP answers are size-limited, TCP carries transfers. */
  public enum Transport {
    UDP,
    TCP
  }

  /** Largest UDP answer without EDNS (RFC 1035 §4.2.1). */
  static final int CLASSIC_UDP_SIZE = 512;

  /** Our EDNS UDP payload size: 1232 octets, the DNS Flag Day 2020 value that avoids IP fragmentation. */
  static final int EDNS_UDP_SIZE = 1232;

  /** Largest DNS message over TCP: the two-octet length prefix (RFC 1035 §4.2.2, RFC 5936 §2.2). */
  static final int TCP_MESSAGE_SIZE = 65535;

  private static final Logger LOG = Logger.getLogger(DnsResponder.class);

  private final ServedZones zones;
  private final TransferAcl acl;
  private final TransferLimit limit;
  private final SecondaryFetches fetches;
  private final TsigKeys keys;
  private final Clock clock;
  private final IncomingNotify notifies;

  /**
   * @param acl who may transfer the zones of this server
   * @param limit how many transfers one client may run at once (shared by the servers of one publisher)
   * @param fetches where the queries of the clients the ACL allows are noted
   * @param keys the TSIG keys requests may be signed with
   * @param clock signs and checks the TSIG times (RFC 8945 §5.2.3)
   */
  public DnsResponder(ServedZones zones, TransferAcl acl, TransferLimit limit, SecondaryFetches fetches,
      TsigKeys keys, Clock clock) {
    this(zones, acl, limit, fetches, keys, clock, null);
  }

  /**
   * A responder that also takes NOTIFYs in (the publication server's, cascade-reference.md §1.2).
   *
   * @param notifies where NOTIFYs go, or null to answer them NOTIMP as any other opcode
   */
  public DnsResponder(ServedZones zones, TransferAcl acl, TransferLimit limit, SecondaryFetches fetches,
      TsigKeys keys, Clock clock, IncomingNotify notifies) {
    this.notifies = notifies;
    this.zones = zones;
    this.acl = acl;
    this.limit = limit;
    this.fetches = fetches;
    this.keys = keys;
    this.clock = clock;
  }

  /**
   * Answers one query: no message (the input was a response, or too short to carry an ID), one, or for a zone
   * transfer as many messages as the zone or the difference needs, each handed to {@code sink} as it is made.
   *
   * @throws IOException if the sink fails (the client went away)
   */
  public void respond(byte[] wire, InetAddress client, Transport transport, Sink sink) throws IOException {
    for (byte[] message : answer(wire, client, transport, sink)) {
      sink.send(message, message.length);
    }
  }

  /** The single-message answers; a transfer writes its messages to {@code sink} itself and returns none. */
  private List<byte[]> answer(byte[] wire, InetAddress client, Transport transport, Sink sink) throws IOException {
    Message query;
    try {
      query = new Message(wire);
    } catch (IOException | RuntimeException e) {
      return formatError(wire);
    }
    Header header = query.getHeader();
    if (header.getFlag(Flags.QR)) {
      return List.of();
    }
    TsigRequest tsig = TsigRequest.check(query, wire, keys, clock);
    if (tsig.status() == TsigRequest.Status.FAILED) {
      LOG.warnf("%s from %s answered NOTAUTH: %s", describe(query), client.getHostAddress(), tsig.reason());
      return notAuth(query, tsig);
    }
    ResponseSigner signer = tsig.key().map(k -> new ResponseSigner(k, tsig.record(), clock)).orElse(null);
    if (header.getOpcode() == Opcode.NOTIFY && notifies != null) {
      return single(notify(query, client, keyName(signer)), query, transport, signer);
    }
    if (header.getOpcode() != Opcode.QUERY) {
      return single(error(query, Rcode.NOTIMP), query, transport, signer);
    }
    Record question = query.getQuestion();
    if (question == null || query.getSection(Section.QUESTION).size() != 1) {
      return single(error(query, Rcode.FORMERR), query, transport, signer);
    }
    if (question.getDClass() != DClass.IN) {
      return single(error(query, Rcode.REFUSED), query, transport, signer);
    }
    int qtype = question.getType();
    if (qtype == Type.AXFR || qtype == Type.IXFR) {
      return transfer(query, question, client, transport, sink, signer);
    }
    Optional<ZoneSnapshot> zone = zones.get(question.getName());
    if (zone.isEmpty() || !Type.isRR(qtype)) {
      // Below an apex, for a zone not served, or a meta type such as ANY (RFC 8482): not for this server.
      return single(error(query, Rcode.REFUSED), query, transport, signer);
    }
    if (qtype == Type.SOA && acl.lists(client)) {
      Optional<String> refused = acl.refusal(client, keyName(signer));
      if (refused.isPresent()) {
        LOG.warnf("%s from %s refused: %s", describe(query), client.getHostAddress(), refused.get());
        return single(error(query, Rcode.REFUSED), query, transport, signer);
      }
      fetches.queried(zone.get().origin(), client);
    }
    return single(apex(query, zone.get(), qtype), query, transport, signer);
  }

  /**
   * The apex RRset of {@code qtype}, with its RRSIGs if the query set DO; for a type the apex lacks, no data: the SOA
   * in the authority section (RFC 2308 §2.2), signed likewise.
   */
  private static Message apex(Message query, ZoneSnapshot zone, int qtype) {
    boolean dnssec = query.getOPT() != null && (query.getOPT().getFlags() & ExtendedFlags.DO) != 0;
    Message response = response(query);
    response.getHeader().setFlag(Flags.AA);
    List<Record> records = zone.apexRecords();
    boolean found = records.stream().anyMatch(r -> r.getType() == qtype);
    int section = found ? Section.ANSWER : Section.AUTHORITY;
    int type = found ? qtype : Type.SOA;
    for (Record r : records) {
      if (r.getType() == type || (dnssec && r instanceof RRSIGRecord sig && sig.getTypeCovered() == type)) {
        response.addRecord(r, section);
      }
    }
    return response;
  }

  private List<byte[]> transfer(Message query, Record question, InetAddress client, Transport transport, Sink sink,
      ResponseSigner signer) throws IOException {
    if (transport == Transport.UDP && question.getType() == Type.AXFR) {
      // RFC 5936 §4.2: AXFR is a TCP exchange; BIND answers a UDP AXFR the same way.
      return single(error(query, Rcode.FORMERR), query, transport, signer);
    }
    ZoneSnapshot zone = zones.get(question.getName()).orElse(null);
    if (zone == null) {
      return single(error(query, Rcode.REFUSED), query, transport, signer);
    }
    Optional<String> refused = acl.refusal(client, keyName(signer));
    if (refused.isPresent()) {
      LOG.warnf("%s from %s refused: %s", describe(query), client.getHostAddress(), refused.get());
      return single(error(query, Rcode.REFUSED), query, transport, signer);
    }
    if (question.getType() == Type.IXFR) {
      OptionalLong clientSerial = clientSerial(query);
      if (transport == Transport.UDP
          || (clientSerial.isPresent() && Serial.compare(clientSerial.getAsLong(), zone.serial()) >= 0)) {
        // RFC 1995 §2: an IXFR over UDP that does not fit gets the current SOA only, and the client retries over TCP;
        // RFC 1995 §4: a client at or past our serial also gets just the current SOA.
        if (clientSerial.isPresent()) {
          fetches.holds(zone.origin(), client, clientSerial.getAsLong(), "IXFR");
        }
        return single(answer(query, zone.soa()), query, transport, signer);
      }
    }
    if (!limit.tryStart(client)) {
      LOG.warnf("%s from %s refused: the client runs too many transfers", describe(query), client.getHostAddress());
      return single(error(query, Rcode.REFUSED), query, transport, signer);
    }
    try {
      OptionalLong clientSerial = question.getType() == Type.IXFR ? clientSerial(query) : OptionalLong.empty();
      Optional<ZoneSnapshot.Delta> delta =
          clientSerial.isPresent() ? zone.since(clientSerial.getAsLong()) : Optional.empty();
      if (delta.isPresent()) {
        ixfr(query, zone, delta.get(), sink, signer);
      } else {
        axfr(query, zone, sink, signer);
      }
      // Sent whole: the secondary has what it asked for. Written to the socket is not applied, but a secondary that
      // fails to apply it asks again, and its next query tells.
      fetches.holds(zone.origin(), client, zone.serial(), Type.string(question.getType()));
    } finally {
      limit.end(client);
    }
    return List.of();
  }

  /** RFC 1995 §3: the client's serial is the SOA in the IXFR query's authority section. */
  private static OptionalLong clientSerial(Message query) {
    for (Record record : query.getSection(Section.AUTHORITY)) {
      if (record instanceof SOARecord soa) {
        return OptionalLong.of(soa.getSerial());
      }
    }
    return OptionalLong.empty();
  }

  /** The whole zone as RFC 5936 §2.2 messages: the SOA first and last, the other records between. */
  private static void axfr(Message query, ZoneSnapshot zone, Sink sink, ResponseSigner signer) throws IOException {
    TransferMessages messages = new TransferMessages(query, zone.origin().length(), sink, signer);
    messages.add(zone.soa());
    addAllButSoa(messages, zone.records());
    messages.add(zone.soa());
    messages.finish();
  }

  /**
   * RFC 1995 §4: the current SOA, then the condensed difference as the old SOA, the records to delete, the new SOA
   * and the records to add, then the current SOA again.
   */
  private static void ixfr(Message query, ZoneSnapshot zone, ZoneSnapshot.Delta delta, Sink sink,
      ResponseSigner signer) throws IOException {
    TransferMessages messages = new TransferMessages(query, zone.origin().length(), sink, signer);
    messages.add(zone.soa());
    messages.add(delta.from());
    addAllButSoa(messages, delta.diff().removed());
    messages.add(delta.to());
    addAllButSoa(messages, delta.diff().added());
    messages.add(zone.soa());
    messages.finish();
  }

  /** The records but the SOA, which a transfer places itself (there is one, at the apex). */
  private static void addAllButSoa(TransferMessages messages, CompactRecords records) throws IOException {
    CompactRecords.Cursor cursor = records.cursor();
    while (cursor.next()) {
      if (cursor.type() != Type.SOA) {
        messages.add(cursor);
      }
    }
  }

  private static Message answer(Message query, Record record) {
    Message response = response(query);
    response.getHeader().setFlag(Flags.AA);
    response.addRecord(record, Section.ANSWER);
    return response;
  }

  /**
   * The answer to a NOTIFY (RFC 1996 §4.7): the question echoed, AA set, NOERROR when it is taken, else the rcode
   * {@link IncomingNotify} gives; FORMERR without exactly one question (§3.7).
   */
  /** @param key the name of the TSIG key the NOTIFY verified with; empty for an unsigned one */
  private Message notify(Message query, InetAddress client, Optional<Name> key) {
    Record question = query.getQuestion();
    if (question == null || query.getSection(Section.QUESTION).size() != 1) {
      return error(query, Rcode.FORMERR);
    }
    Long serial = null;
    for (Record r : query.getSection(Section.ANSWER)) {
      if (r instanceof SOARecord soa && r.getName().equals(question.getName())) {
        serial = soa.getSerial();
      }
    }
    Message response = error(query, notifies.receive(question.getName(), question.getDClass(), question.getType(),
        client, serial, key));
    response.getHeader().setFlag(Flags.AA);
    return response;
  }

  private static Message error(Message query, int rcode) {
    Message response = response(query);
    response.getHeader().setRcode(rcode);
    return response;
  }

  /** A response skeleton: same ID, opcode and RD bit, QR set, the question echoed, OPT if the query had EDNS. */
  private static Message response(Message query) {
    Message response = new Message(query.getHeader().getID());
    Header header = response.getHeader();
    header.setFlag(Flags.QR);
    header.setOpcode(query.getHeader().getOpcode());
    if (query.getHeader().getFlag(Flags.RD)) {
      header.setFlag(Flags.RD);
    }
    Record question = query.getQuestion();
    if (question != null) {
      response.addRecord(question, Section.QUESTION);
    }
    if (query.getOPT() != null) {
      // RFC 3225 §3: the DO bit is copied into the response.
      response.addRecord(new OPTRecord(EDNS_UDP_SIZE, 0, 0, query.getOPT().getFlags() & ExtendedFlags.DO),
          Section.ADDITIONAL);
    }
    return response;
  }

  /** One response, signed if the request was (RFC 8945 §5.3), within the transport's size limit. */
  private static List<byte[]> single(Message response, Message query, Transport transport, ResponseSigner signer) {
    if (signer != null) {
      signer.sign(response);
    }
    if (transport == Transport.TCP) {
      return List.of(signer == null ? response.toWire() : response.toWire(TCP_MESSAGE_SIZE));
    }
    OPTRecord opt = query.getOPT();
    int limit = opt == null ? CLASSIC_UDP_SIZE : Math.max(CLASSIC_UDP_SIZE, Math.min(opt.getPayloadSize(), EDNS_UDP_SIZE));
    return List.of(response.toWire(limit));
  }

  /**
   * NOTAUTH for a request whose TSIG failed (RFC 8945 §5.2), the TSIG error in the TSIG RR; a short message, whatever
   * the transport.
   */
  private List<byte[]> notAuth(Message query, TsigRequest tsig) {
    Message response = error(query, Rcode.NOTAUTH);
    TSIGRecord record = tsig.failure(response, response.toWire(), clock);
    response.addRecord(record, Section.ADDITIONAL);
    return List.of(response.toWire());
  }

  private static Optional<Name> keyName(ResponseSigner signer) {
    return signer == null ? Optional.empty() : Optional.of(signer.key().name());
  }

  /** The query for the log: its type and name, such as {@code AXFR example.}. */
  private static String describe(Message query) {
    Record question = query.getQuestion();
    return question == null ? "query" : Type.string(question.getType()) + " " + question.getName();
  }

  /** FORMERR for a message that does not parse; without the two ID octets there is nobody to answer. */
  private static List<byte[]> formatError(byte[] wire) {
    if (wire.length < 2) {
      return List.of();
    }
    int id = ((wire[0] & 0xff) << 8) | (wire[1] & 0xff);
    if (wire.length >= 3 && (wire[2] & 0x80) != 0) {
      return List.of();
    }
    Message response = new Message(id);
    response.getHeader().setFlag(Flags.QR);
    response.getHeader().setRcode(Rcode.FORMERR);
    return List.of(response.toWire());
  }
}
