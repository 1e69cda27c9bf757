package dev.cascade.publisher.dns;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Counts the queries each DNS server answered, {@code cascade_dns_queries_total{server, qtype, rcode}}, and those it
 * failed to answer, {@code cascade_dns_query_failures_total{server, qtype}} (docs/operations.md, "Metrics"). Transfers
 * are the queries of qtype AXFR and IXFR: served with rcode NOERROR, refused with REFUSED (or NOTAUTH, a TSIG that
 * did not verify), failed when the connection broke off.
 *
 * <p>Once per query, from the question's octets: no message is parsed for it. Labels stay bounded: the qtype is one of
 * {@link #QTYPES} or {@code other} (a client chooses any of 65536), the rcode one of the sixteen of the header.
 */
@ApplicationScoped
public class DnsQueryMetrics implements DnsServer.QueryObserver {

  /** The qtypes that get a label of their own: those a signer's publication server is asked for; no official list. */
  static final Set<Integer> QTYPES =
      Set.of(Type.SOA, Type.AXFR, Type.IXFR, Type.NS, Type.A, Type.AAAA, Type.DNSKEY, Type.DS, Type.CDS,
          Type.CDNSKEY, Type.RRSIG, Type.NSEC, Type.NSEC3, Type.NSEC3PARAM, Type.CNAME, Type.MX, Type.TXT, Type.ANY);

  /** The octets of a DNS message header (RFC 1035 §4.1.1). */
  private static final int HEADER = 12;

  private final MeterRegistry registry;

  public DnsQueryMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void answered(String server, byte[] query, int rcode) {
    Counter.builder("cascade.dns.queries")
        .description("DNS queries answered, by server, qtype and the rcode of the answer")
        .tag("server", server)
        .tag("qtype", qtype(query))
        .tag("rcode", rcode < 0 ? "none" : Rcode.string(rcode))
        .register(registry)
        .increment();
  }

  @Override
  public void failed(String server, byte[] query) {
    Counter.builder("cascade.dns.query.failures")
        .description("DNS queries whose answer could not be sent (whole), by server and qtype")
        .tag("server", server)
        .tag("qtype", qtype(query))
        .register(registry)
        .increment();
  }

  /**
   * The qtype of the first question: after the header, the QNAME's labels up to the root label or a compression
   * pointer, then two octets (RFC 1035 §4.1.2, §4.1.4); {@code none} when the message has no whole question.
   */
  static String qtype(byte[] query) {
    int qdcount = query.length >= HEADER ? ((query[4] & 0xFF) << 8) | (query[5] & 0xFF) : 0;
    int at = HEADER;
    while (qdcount > 0 && at < query.length) {
      int length = query[at] & 0xFF;
      if (length == 0) {
        at += 1;
        break;
      }
      if ((length & 0xC0) != 0) {
        at += 2;
        break;
      }
      at += 1 + length;
    }
    if (qdcount == 0 || at + 2 > query.length) {
      return "none";
    }
    int type = ((query[at] & 0xFF) << 8) | (query[at + 1] & 0xFF);
    return QTYPES.contains(type) ? Type.string(type) : "other";
  }
}
