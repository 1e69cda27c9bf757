package dev.cascade.publisher.domain;

import dev.cascade.dnssec.tsig.TsigKey;
import dev.cascade.dnssec.xfr.PrimarySource;
import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * The NOTIFYs (RFC 1996) the publication server takes in, as the reference does (cascade-reference.md §1.2): for a
 * zone loaded from a primary, class IN, an SOA question, from the address of the zone's primary. Such a NOTIFY is
 * answered (RFC 1996 §4.7) and handed to the listeners, which ask the loader for a refresh; anything else is refused,
 * with a warning naming the sender: a NOTIFY for an unknown zone or a zone-file zone (which is never reloaded but by
 * the operator), or one from an address that is not the zone's primary. The serial a NOTIFY may carry is passed on
 * as a hint only: the loader asks the primary's SOA itself (RFC 1996 §3.7).
 *
 * <p>Which zone loads from where is fed from the zone registry ({@link #sourceSet}, {@link #forget}).
 */
public final class IncomingNotify {

  private static final Logger LOG = Logger.getLogger(IncomingNotify.class);

  /** A NOTIFY accepted: {@code zone} as an absolute apex, {@code serial} null when the NOTIFY carried none. */
  public record Received(String zone, InetAddress sender, Long serial) {}

  private final Map<Name, String> sources = new ConcurrentHashMap<>();
  private final CopyOnWriteArrayList<Consumer<Received>> listeners = new CopyOnWriteArrayList<>();

  /** Runs {@code listener} for every NOTIFY accepted, on the DNS server's thread: it must not block. */
  public void onReceived(Consumer<Received> listener) {
    listeners.add(listener);
  }

  /** The registry set {@code zone}'s source (a primary or a zone file). */
  public void sourceSet(Name zone, String source) {
    sources.put(zone, source);
  }

  /** The zone was removed. */
  public void forget(Name zone) {
    sources.remove(zone);
  }

  /**
   * Takes in a NOTIFY and tells the rcode to answer it with.
   *
   * @param serial the serial of the SOA in the NOTIFY's answer section, or null
   * @param key the TSIG key the NOTIFY verified with (RFC 8945); empty for an unsigned NOTIFY
   */
  public int receive(Name zone, int qclass, int qtype, InetAddress sender, Long serial, Optional<Name> key) {
    String from = sender.getHostAddress();
    if (qclass != DClass.IN || qtype != Type.SOA) {
      LOG.warnf("NOTIFY from %s for %s %s %s refused: only class IN and type SOA are taken (RFC 1996 §3.2)", from,
          zone, DClass.string(qclass), Type.string(qtype));
      return Rcode.REFUSED;
    }
    String source = sources.get(zone);
    if (source == null) {
      LOG.warnf("NOTIFY from %s for %s refused: not a zone of this Cascade", from, zone);
      return Rcode.NOTAUTH;
    }
    Optional<PrimarySource> primary = PrimarySource.of(source);
    if (primary.isEmpty()) {
      LOG.warnf("NOTIFY from %s for %s refused: the zone is loaded from a zone file, which only zone reload reads",
          from, zone);
      return Rcode.REFUSED;
    }
    if (!primary.get().address().getAddress().equals(sender)) {
      LOG.warnf("NOTIFY from %s for %s refused: the zone's primary is %s", from, zone, primary.get().hostPort());
      return Rcode.REFUSED;
    }
    String tsigRefusal = tsigRefusal(primary.get(), key);
    if (tsigRefusal != null) {
      LOG.warnf("NOTIFY from %s for %s refused: %s", from, zone, tsigRefusal);
      return Rcode.REFUSED;
    }
    Received received = new Received(zone.toString(), sender, serial);
    listeners.forEach(listener -> listener.accept(received));
    return Rcode.NOERROR;
  }

  /**
   * Why a NOTIFY from {@code primary} is refused for its TSIG (RFC 8945), or null: a source that names a key takes
   * NOTIFYs signed with that key only, as its transfers are. A signed NOTIFY has verified before it gets here (an
   * unknown key or a bad MAC is answered NOTAUTH), so a source without a key takes it as well as an unsigned one.
   */
  static String tsigRefusal(PrimarySource primary, Optional<Name> key) {
    if (primary.tsigKey() == null) {
      return null;
    }
    Name wanted = TsigKey.nameOf(primary.tsigKey());
    if (key.isEmpty()) {
      return "not signed with TSIG key " + primary.tsigKey() + ", which the zone's source names";
    }
    return key.get().equals(wanted) ? null
        : "signed with TSIG key " + TsigKey.displayName(key.get()) + ", not " + primary.tsigKey();
  }

}
