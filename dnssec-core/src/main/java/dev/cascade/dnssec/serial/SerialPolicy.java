package dev.cascade.dnssec.serial;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * How the signer chooses the SOA serial of a signed version (reference Cascade {@code [signer]
 * serial-policy}, cascade-reference.md §4). All comparisons and increments use RFC 1982 serial
 * number arithmetic (SERIAL_BITS = 32).
 */
public enum SerialPolicy {
  /** The upstream (loaded) serial unchanged; fails if it is not greater than the previous signed serial. */
  KEEP,
  /** Previous signed serial + 1; the loaded serial for the first version. */
  COUNTER,
  /** Seconds since the Unix epoch, or previous + 1 if that is not greater. */
  UNIX_TIME,
  /** {@code YYYYMMDDnn} in UTC with nn = 00, or previous + 1 if that is not greater (spilling into the next "day"). */
  DATE_COUNTER;

  private static final long MOD = 1L << 32;
  private static final long HALF = 1L << 31;

  /**
   * The serial for a new signed version.
   *
   * @param loadedSerial the serial of the unsigned (loaded) version
   * @param previousSigned the serial of the previous signed version of this zone, if any
   * @param clock the time source (UTC)
   * @throws SerialPolicyException for {@link #KEEP} when the loaded serial is not greater than the previous one
   */
  public long next(long loadedSerial, OptionalLong previousSigned, Clock clock) throws SerialPolicyException {
    return switch (this) {
      case KEEP -> {
        if (previousSigned.isPresent() && !greater(loadedSerial, previousSigned.getAsLong())) {
          throw new SerialPolicyException("serial policy keep: upstream serial " + loadedSerial
              + " is not greater than the previous signed serial " + previousSigned.getAsLong() + " (RFC 1982)");
        }
        yield loadedSerial;
      }
      case COUNTER -> previousSigned.isPresent() ? increment(previousSigned.getAsLong()) : loadedSerial;
      case UNIX_TIME -> atLeastNext(clock.instant().getEpochSecond() % MOD, previousSigned);
      case DATE_COUNTER -> {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        long candidate = (today.getYear() * 10_000L + today.getMonthValue() * 100L + today.getDayOfMonth()) * 100L;
        yield atLeastNext(candidate, previousSigned);
      }
    };
  }

  /**
   * The policy for its reference configuration name: {@code keep}, {@code counter}, {@code unix-time}
   * or {@code date-counter} (case-insensitive; underscores accepted for hyphens).
   */
  public static SerialPolicy fromName(String name) {
    String n = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (SerialPolicy p : values()) {
      if (p.name().equals(n)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown serial policy " + name + "; use keep, counter, unix-time or date-counter");
  }

  /** RFC 1982 §3.2: s1 is greater than s2. Undefined comparisons (distance exactly 2^31) count as not greater. */
  public static boolean greater(long s1, long s2) {
    long a = s1 & (MOD - 1);
    long b = s2 & (MOD - 1);
    return (a < b && b - a > HALF) || (a > b && a - b < HALF);
  }

  /** RFC 1982 §3.1 addition of 1. */
  public static long increment(long serial) {
    return (serial + 1) % MOD;
  }

  private static long atLeastNext(long candidate, OptionalLong previousSigned) {
    if (previousSigned.isEmpty() || greater(candidate, previousSigned.getAsLong())) {
      return candidate;
    }
    return increment(previousSigned.getAsLong());
  }
}
