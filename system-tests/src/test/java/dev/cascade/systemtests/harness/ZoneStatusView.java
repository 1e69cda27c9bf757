package dev.cascade.systemtests.harness;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what an operator reads in {@code cascade zone status <zone>}: the text layout of the reference CLI
 * (cascade-reference.md §1.4), which the Cascade CLI reproduces. Only the parts the tests need are parsed; the full
 * text is kept for assertions and failure messages.
 */
public record ZoneStatusView(String text) {

  /** The "last published" block, up to the next blank line. */
  private static final Pattern LAST_PUBLISHED =
      Pattern.compile("(?ms)^last published\\s*$(.*?)(?:^\\s*$|\\z)");
  private static final Pattern SIGNED_SERIAL = Pattern.compile("(?m)^\\s*signed serial:\\s*(\\d+)");
  private static final Pattern LOADED_SERIAL = Pattern.compile("(?m)^\\s*loaded serial:\\s*(\\d+)");
  private static final Pattern PROGRESS = Pattern.compile("(?m)^status:\\s*(.+?)\\s*$");
  /** The possible action the reference prints while a version waits at a manual gate. */
  private static final Pattern APPROVE_UNSIGNED = Pattern.compile("zone approve --unsigned \\S+ (\\d+)");
  private static final Pattern APPROVE_SIGNED = Pattern.compile("zone approve --signed \\S+ (\\d+)");

  /** Signed serial of the version on the publication server, if any version was ever published. */
  public OptionalLong publishedSignedSerial() {
    return inLastPublished(SIGNED_SERIAL);
  }

  /** Loaded (unsigned) serial of the published version. */
  public OptionalLong publishedLoadedSerial() {
    return inLastPublished(LOADED_SERIAL);
  }

  /** The pipeline progress after {@code status:}, e.g. {@code idle} or {@code waiting for loaded review}. */
  public String progress() {
    Matcher matcher = PROGRESS.matcher(text);
    return matcher.find() ? matcher.group(1) : "";
  }

  /** Serial of the unsigned version waiting for the operator, from the printed approve command. */
  public OptionalLong unsignedSerialUnderReview() {
    return first(APPROVE_UNSIGNED, text);
  }

  /** Serial of the signed version waiting for the operator. */
  public OptionalLong signedSerialUnderReview() {
    return first(APPROVE_SIGNED, text);
  }

  private OptionalLong inLastPublished(Pattern field) {
    Matcher block = LAST_PUBLISHED.matcher(text);
    return block.find() ? first(field, block.group(1)) : OptionalLong.empty();
  }

  private static OptionalLong first(Pattern pattern, String in) {
    Matcher matcher = pattern.matcher(in);
    return matcher.find() ? OptionalLong.of(Long.parseLong(matcher.group(1))) : OptionalLong.empty();
  }

  @Override
  public String toString() {
    return text;
  }
}
