package dev.cascade.publisher.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.tsig.TsigKey;
import dev.cascade.dnssec.tsig.TsigKeys;
import dev.cascade.publisher.domain.DnsResponder;
import dev.cascade.publisher.domain.IncomingNotify;
import dev.cascade.publisher.domain.SecondaryFetches;
import dev.cascade.publisher.domain.ServedZones;
import dev.cascade.publisher.domain.TransferAcl;
import dev.cascade.publisher.domain.TransferLimit;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * NOTIFYs in (RFC 1996) over real UDP to a DNS server with the publication server's responder: taken from the zone's
 * primary, refused from anyone else and for zones not loaded from a primary, never taken by a review server.
 */
class NotifyInTest {

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final Name FROM_PRIMARY = Name.fromConstantString("primary.test.");
  private static final Name FROM_STRANGER = Name.fromConstantString("stranger.test.");
  private static final Name FROM_FILE = Name.fromConstantString("file.test.");
  private static final Name WITH_KEY = Name.fromConstantString("keyed.test.");
  private static final TsigKey K1 = TsigKey.parse("hmac-sha256:k1:" + Base64.getEncoder().encodeToString(new byte[32]));
  private static final TsigKey OTHER = TsigKey.parse("hmac-sha256:other:" + Base64.getEncoder().encodeToString(
      new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}));
  private static final TsigKeys KEYRING = name -> Stream.of(K1, OTHER).filter(k -> k.name().equals(name)).findFirst();

  private final IncomingNotify notifies = new IncomingNotify();
  private final List<IncomingNotify.Received> received = new CopyOnWriteArrayList<>();
  private DnsServer publication;
  private DnsServer review;

  @BeforeEach
  void start() throws Exception {
    notifies.sourceSet(FROM_PRIMARY, "127.0.0.1:5300");
    // Nothing sends from 192.0.2.1 here (RFC 5737 documentation address): every NOTIFY for this zone is a stranger's.
    notifies.sourceSet(FROM_STRANGER, "192.0.2.1:53");
    notifies.sourceSet(FROM_FILE, "/var/lib/cascade/file.test.zone");
    notifies.sourceSet(WITH_KEY, "127.0.0.1:53^k1");
    notifies.onReceived(received::add);
    ServedZones zones = new ServedZones(5, 20);
    TransferAcl acl = TransferAcl.of(List.of("127.0.0.1"));
    TransferLimit limit = new TransferLimit(10);
    publication = DnsServer.start("publication", LOOPBACK, 0,
        new DnsResponder(zones, acl, limit, new SecondaryFetches(Clock.systemUTC()), KEYRING, Clock.systemUTC(),
            notifies));
    review = DnsServer.start("review", LOOPBACK, 0,
        new DnsResponder(zones, acl, limit, new SecondaryFetches(Clock.systemUTC()), KEYRING, Clock.systemUTC()));
  }

  @AfterEach
  void stop() {
    publication.close();
    review.close();
  }

  @Test
  void aNotifyFromThePrimaryIsAnsweredAndPassedOnWithItsSerial() throws Exception {
    Message response = send(publication, notify(FROM_PRIMARY, 42L));
    assertEquals(Rcode.NOERROR, response.getRcode());
    assertEquals(Opcode.NOTIFY, response.getHeader().getOpcode());
    assertTrue(response.getHeader().getFlag(Flags.AA));
    assertTrue(response.getHeader().getFlag(Flags.QR));
    assertEquals(FROM_PRIMARY, response.getQuestion().getName());
    assertEquals(List.of(new IncomingNotify.Received("primary.test.", LOOPBACK, 42L)), received);
  }

  @Test
  void strangersZoneFilesUnknownZonesAndUnknownKeysAreRefusedAndNotPassedOn() throws Exception {
    assertEquals(Rcode.REFUSED, send(publication, notify(FROM_STRANGER, null)).getRcode());
    assertEquals(Rcode.REFUSED, send(publication, notify(FROM_FILE, null)).getRcode());
    assertEquals(Rcode.REFUSED, send(publication, notify(WITH_KEY, null)).getRcode());
    assertEquals(Rcode.NOTAUTH, send(publication, notify(Name.fromConstantString("unknown.test."), null))
        .getRcode());
    Message notSoa = Message.newQuery(Record.newRecord(FROM_PRIMARY, Type.A, DClass.IN));
    notSoa.getHeader().setOpcode(Opcode.NOTIFY);
    assertEquals(Rcode.REFUSED, send(publication, notSoa).getRcode());
    assertEquals(List.of(), received);
  }

  /** A source that names a key takes NOTIFYs signed with that key only (RFC 8945), as its transfers are. */
  @Test
  void aZoneWhoseSourceNamesAKeyTakesNotifiesSignedWithThatKeyOnly() throws Exception {
    assertEquals(Rcode.REFUSED, send(publication, notify(WITH_KEY, 7L), OTHER).getRcode());
    assertEquals(List.of(), received);
    Message response = send(publication, notify(WITH_KEY, 7L), K1);
    assertEquals(Rcode.NOERROR, response.getRcode());
    assertTrue(response.isVerified(), "the answer is signed with the NOTIFY's key");
    assertEquals(List.of(new IncomingNotify.Received("keyed.test.", LOOPBACK, 7L)), received);
  }

  @Test
  void aReviewServerTakesNoNotify() throws Exception {
    assertEquals(Rcode.NOTIMP, send(review, notify(FROM_PRIMARY, null)).getRcode());
    assertEquals(List.of(), received);
  }

  private static Message notify(Name zone, Long serial) {
    Message notify = Message.newQuery(Record.newRecord(zone, Type.SOA, DClass.IN));
    notify.getHeader().setOpcode(Opcode.NOTIFY);
    notify.getHeader().setFlag(Flags.AA);
    notify.getHeader().unsetFlag(Flags.RD);
    if (serial != null) {
      notify.addRecord(new SOARecord(zone, DClass.IN, 300, Name.fromConstantString("ns1.test."),
          Name.fromConstantString("hostmaster.test."), serial, 3600, 600, 86400, 300), Section.ANSWER);
    }
    return notify;
  }

  private static Message send(DnsServer server, Message message) throws Exception {
    return send(server, message, null);
  }

  private static Message send(DnsServer server, Message message, TsigKey key) throws Exception {
    SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(LOOPBACK, server.port()));
    resolver.setTimeout(Duration.ofSeconds(5));
    if (key != null) {
      resolver.setTSIGKey(key.tsig());
    }
    return resolver.send(message);
  }
}
