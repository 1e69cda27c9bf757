package dev.cascade.publisher.domain;

import dev.cascade.dnssec.tsig.TsigKey;
import java.time.Clock;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;

/**
 * Signs the answers to a request whose TSIG verified, with its key (RFC 8945 §5.3): a single answer through dnsjava's
 * {@link Message#setTSIG}, the messages of a transfer one after another ({@link #next}), each MAC chained to the one
 * before (§5.3.1).
 *
 * @param key the request's key
 * @param request the request's TSIG RR, whose MAC the first answer's MAC covers
 */
record ResponseSigner(TsigKey key, TSIGRecord request, Clock clock) {

  /** Signs {@code response} when it is rendered ({@link Message#toWire(int)}). */
  void sign(Message response) {
    response.setTSIG(key.tsig(clock), Rcode.NOERROR, request);
  }

  /** The signer of one multi-message answer: every message signed, so a client never waits for a MAC. */
  Stream stream() {
    return new Stream(key.tsig(clock));
  }

  /** The running state of a multi-message answer. */
  final class Stream {
    private final TSIG tsig;
    private TSIGRecord previous;

    private Stream(TSIG tsig) {
      this.tsig = tsig;
    }

    /**
     * The TSIG RR of the next message, whose octets (without the TSIG RR) are {@code wire}: the first covers the
     * request MAC and all TSIG variables, the later ones the previous MAC and the timers only (§5.3.1).
     *
     * @param query gives the Original ID (§4.2)
     */
    TSIGRecord next(Message query, byte[] wire) {
      boolean first = previous == null;
      previous = tsig.generate(query, wire, Rcode.NOERROR, first ? request : previous, first);
      return previous;
    }

    /** The longest TSIG RR this key makes: the fixed fields (§4.2) and the longest MAC, HMAC-SHA512's 64 octets. */
    int maxLength() {
      return key.name().length() + key.algorithm().dnsName().length() + 26 + 64;
    }
  }
}
