package dev.cascade.dnssec.tsig;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;

/**
 * What the TSIG of a request (a transfer or SOA query, a NOTIFY) says, checked as RFC 8945 §5.2 orders it: a key the
 * server does not know, or an algorithm it does not have for that key, is BADKEY (§5.2.2); a MAC that does not verify
 * is BADSIG (§5.2.2, §5.2.2.1 on truncation); a Time Signed outside the fudge is BADTIME (§5.2.3). dnsjava's
 * {@link TSIG#verify} does the HMAC. Such a request is answered NOTAUTH with the error in the TSIG RR ({@link
 * #failure}); a request that verified gets its answers signed with the same key ({@link #key}, {@link #record}).
 *
 * @param status whether the request was signed and how the check went
 * @param key the key whose MAC verified: the request's if {@link Status#VERIFIED}, or one that was signed too long
 *     ago or ahead (BADTIME); empty otherwise
 * @param record the request's TSIG RR, the "request MAC" the response's MAC covers (§5.3); null if unsigned
 * @param error the TSIG error of a failure: {@link Rcode#BADKEY}, {@link Rcode#BADSIG} or {@link Rcode#BADTIME}
 * @param reason why it failed, for the log: the key's name and the check, never the secret
 */
public record TsigRequest(Status status, Optional<TsigKey> key, TSIGRecord record, int error, String reason) {

  /** Whether a request carried a TSIG RR, and whether it verified. */
  public enum Status {
    UNSIGNED,
    VERIFIED,
    FAILED
  }

  /**
   * Checks the TSIG of a parsed request.
   *
   * @param request the request as dnsjava parsed it from {@code wire}
   * @param wire the request as received: the MAC covers these octets, not a re-rendering
   */
  public static TsigRequest check(Message request, byte[] wire, TsigKeys keys, Clock clock) {
    if (request.getSection(Section.ADDITIONAL).size() < request.getHeader().getCount(Section.ADDITIONAL)) {
      // Cut short with TC set: dnsjava keeps what it could parse and the header's count, and getTSIG would fail on
      // the missing records. The TSIG RR is the last record (RFC 8945 §5.1), so none is there: the request is
      // unsigned, and answered as one (what a sender gets by leaving the TSIG out).
      return new TsigRequest(Status.UNSIGNED, Optional.empty(), null, Rcode.NOERROR, "");
    }
    TSIGRecord tsig = request.getTSIG();
    if (tsig == null) {
      return new TsigRequest(Status.UNSIGNED, Optional.empty(), null, Rcode.NOERROR, "");
    }
    String keyName = TsigKey.displayName(tsig.getName());
    Optional<TsigKey> known = keys.find(tsig.getName());
    if (known.isEmpty()) {
      return failed(tsig, Rcode.BADKEY, "unknown TSIG key " + keyName + " (BADKEY)");
    }
    TsigKey key = known.get();
    if (!key.algorithm().dnsName().equals(tsig.getAlgorithm())) {
      return failed(tsig, Rcode.BADKEY, "TSIG key " + keyName + " is " + key.algorithm().mnemonic()
          + ", not " + tsig.getAlgorithm().toString(true) + " (BADKEY)");
    }
    int result = key.tsig(clock).verify(request, wire, null);
    return switch (result) {
      case Rcode.NOERROR -> new TsigRequest(Status.VERIFIED, known, tsig, Rcode.NOERROR, "");
      case Rcode.BADTIME -> new TsigRequest(Status.FAILED, known, tsig, Rcode.BADTIME,
          "TSIG key " + keyName + ": time signed " + tsig.getTimeSigned() + " is more than "
              + tsig.getFudge().toSeconds() + " s from our clock (BADTIME)");
      default -> failed(tsig, Rcode.BADSIG,
          "TSIG key " + keyName + ": the MAC does not verify, wrong secret? (BADSIG)");
    };
  }

  private static TsigRequest failed(TSIGRecord tsig, int error, String reason) {
    return new TsigRequest(Status.FAILED, Optional.empty(), tsig, error, reason);
  }

  /**
   * The TSIG RR of the NOTAUTH answer to a failed request (RFC 8945 §5.2): the request's key name and algorithm,
   * the error, and no MAC for BADKEY and BADSIG (the server cannot or must not sign, §5.3.2); a BADTIME answer is
   * signed with the key, its Other Data our current time (§5.2.3).
   */
  public TSIGRecord failure(Message response, byte[] responseWire, Clock clock) {
    if (error == Rcode.BADTIME && key.isPresent()) {
      return key.get().tsig(clock).generate(response, responseWire, Rcode.BADTIME, record, true);
    }
    Instant now = clock.instant();
    return new TSIGRecord(record.getName(), DClass.ANY, 0, record.getAlgorithm(), now, record.getFudge(),
        new byte[0], response.getHeader().getID(), error, null);
  }
}
