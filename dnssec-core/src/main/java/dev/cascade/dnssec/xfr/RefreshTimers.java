package dev.cascade.dnssec.xfr;

import java.time.Duration;
import java.time.Instant;
import org.xbill.DNS.SOARecord;

/**
 * The SOA timers of a zone loaded from a primary (RFC 1035 §3.3.13, RFC 1996 §2): after a successful refresh the next
 * one is due REFRESH later, after a failed one RETRY later; once EXPIRE has passed since the last successful refresh
 * the zone is expired. A secondary would stop serving an expired zone; Cascade keeps serving its last good version
 * (issue 10: the signed zone must not vanish because the hidden primary did) and reports the expiry instead.
 *
 * <p>Immutable, and pure: every instant comes from the caller's clock.
 *
 * @param refresh the SOA REFRESH of the last version loaded, or null before the first
 * @param retry the SOA RETRY of the last version loaded, or null before the first
 * @param expire the SOA EXPIRE of the last version loaded, or null before the first
 * @param lastSuccess when the last refresh succeeded (a transfer, or an SOA query that found the serial current), or
 *     null before the first
 * @param nextRefresh when the next refresh is due
 */
public record RefreshTimers(Duration refresh, Duration retry, Duration expire, Instant lastSuccess,
    Instant nextRefresh) {

  /**
   * The shortest interval between two refreshes: an SOA with a REFRESH or RETRY of 0 would otherwise have the loader
   * query its primary without pause. One second; no official reference (BIND's min-refresh-time is 300 s, which
   * would make a test primary with short timers wait minutes).
   */
  public static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

  /** A zone not loaded yet: its first refresh is due at once. */
  public static RefreshTimers initial(Instant now) {
    return new RefreshTimers(null, null, null, null, now);
  }

  /** Whether a refresh is due at {@code now}. */
  public boolean due(Instant now) {
    return !now.isBefore(nextRefresh);
  }

  /** After a successful refresh at {@code now} whose (current) SOA is {@code soa}: the next one REFRESH later. */
  public RefreshTimers succeeded(Instant now, SOARecord soa) {
    Duration newRefresh = seconds(soa.getRefresh());
    return new RefreshTimers(newRefresh, seconds(soa.getRetry()), seconds(soa.getExpire()), now, now.plus(newRefresh));
  }

  /**
   * After a failed refresh at {@code now}: the next one RETRY later, or {@code noSoaRetry} later when no version was
   * ever loaded (there is no SOA to take RETRY from).
   */
  public RefreshTimers failed(Instant now, Duration noSoaRetry) {
    Duration wait = retry == null ? noSoaRetry : retry;
    return new RefreshTimers(refresh, retry, expire, lastSuccess, now.plus(wait.compareTo(MIN_INTERVAL) < 0
        ? MIN_INTERVAL : wait));
  }

  /** A refresh asked for now (a NOTIFY, RFC 1996 §4.7, or {@code zone reload}): due at once, the rest unchanged. */
  public RefreshTimers dueNow(Instant now) {
    return new RefreshTimers(refresh, retry, expire, lastSuccess, now);
  }

  /** When the zone expires, if it ever loaded: EXPIRE after the last successful refresh. */
  public Instant expiresAt() {
    return lastSuccess == null ? null : lastSuccess.plus(expire);
  }

  /** Whether EXPIRE has passed at {@code now} since the last successful refresh. */
  public boolean expired(Instant now) {
    Instant at = expiresAt();
    return at != null && !now.isBefore(at);
  }

  /** An SOA timer field (unsigned 32-bit seconds, RFC 1035 §3.3.13), at least {@link #MIN_INTERVAL}. */
  private static Duration seconds(long value) {
    Duration d = Duration.ofSeconds(value);
    return d.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL : d;
  }
}
