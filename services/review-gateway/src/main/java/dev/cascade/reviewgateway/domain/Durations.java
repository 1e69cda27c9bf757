package dev.cascade.reviewgateway.domain;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Duration values of the policy file, spelled as in the reference (cascade-reference.md §4): an integer number of
 * seconds, or a string {@code "<n>s|m|h|d|w"}.
 */
public final class Durations {

  private static final Pattern TEXT = Pattern.compile("([0-9]{1,12})([smhdw])");

  private Durations() {}

  /** Parses the string form; throws {@link IllegalArgumentException} with a message fit for the operator. */
  public static Duration parse(String text) {
    Matcher m = TEXT.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration (expected seconds or <n>s, <n>m, <n>h, <n>d, <n>w)");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      case "d" -> Duration.ofDays(n);
      default -> Duration.ofDays(7 * n);
    };
  }

  /** Seconds given as an integer; negative values are refused. */
  public static Duration ofSeconds(long seconds) {
    if (seconds < 0) {
      throw new IllegalArgumentException(seconds + " is not a duration (negative)");
    }
    return Duration.ofSeconds(seconds);
  }

  /** The shortest exact text form: {@code 2w}, {@code 36h}, {@code 90s}. */
  public static String format(Duration d) {
    long s = d.getSeconds();
    if (s != 0 && s % (7 * 86400) == 0) {
      return s / (7 * 86400) + "w";
    }
    if (s != 0 && s % 86400 == 0) {
      return s / 86400 + "d";
    }
    if (s != 0 && s % 3600 == 0) {
      return s / 3600 + "h";
    }
    if (s != 0 && s % 60 == 0) {
      return s / 60 + "m";
    }
    return s + "s";
  }
}
