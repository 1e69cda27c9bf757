package dev.cascade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cascade.dnssec.xfr.PrimarySource;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints {@code cascade zone status} in the reference's layout (cascade-reference.md §1.4): zone, policy and source,
 * the review modes, the last published version (and which publisher instance serves which serial, when several
 * announced theirs), {@code status: <progress>}, then (unless idle) the seven pipeline steps with their icons,
 * manual-review hints and errors, and under an ongoing load, signing or publication how far it has got ({@code
 * progress: 1,234,567 / 4,800,000 records signed (25%)}, the reference's {@code progress: 9.4 KB / 94 KB (10%)}).
 * Input is the JSON of {@code GET /zone/{name}/status}.
 */
public final class StatusRenderer {

  /** Step icons of the reference CLI. */
  static final String PENDING = "\u25CB"; // ○ not started
  static final String ONGOING = "\u25CF"; // ● in progress
  static final String STOPPED = "\u25A0"; // ■ waiting for the operator
  static final String DONE = "\u2714"; // ✔ done
  static final String ERROR = "\u2A2F"; // ⨯ failed

  /** The reference's progress values in pipeline order; the steps compare positions in this list. */
  static final List<String> PROGRESS = List.of(
      "restoring",
      "idle",
      "loading",
      "waiting for loaded review",
      "halted after loaded review",
      "persisting loaded zone",
      "signing",
      "signing failed",
      "waiting for signed review",
      "halted after signed review",
      "persisting signed zone");

  private static final int LOADING = PROGRESS.indexOf("loading");
  private static final int LOADED_REVIEW = PROGRESS.indexOf("waiting for loaded review");
  private static final int HALT_LOADED = PROGRESS.indexOf("halted after loaded review");
  private static final int PERSIST_LOADED = PROGRESS.indexOf("persisting loaded zone");
  private static final int SIGNING = PROGRESS.indexOf("signing");
  private static final int SIGNING_FAILED = PROGRESS.indexOf("signing failed");
  private static final int SIGNED_REVIEW = PROGRESS.indexOf("waiting for signed review");
  private static final int HALT_SIGNED = PROGRESS.indexOf("halted after signed review");
  private static final int PERSIST_SIGNED = PROGRESS.indexOf("persisting signed zone");

  private final StringBuilder out = new StringBuilder();
  private final JsonNode zone;
  private final Instant now;

  private StatusRenderer(JsonNode zone, Instant now) {
    this.zone = zone;
    this.now = now;
  }

  /** Renders {@code status}; {@code now} is only used for the "(… ago)" spans. */
  public static String render(JsonNode status, boolean detailed, Instant now) {
    StatusRenderer r = new StatusRenderer(status, now);
    r.header();
    r.steps();
    r.halt();
    r.trailer(detailed);
    return r.out.toString();
  }

  private void header() {
    line("zone:   " + text(zone, "name"));
    line("policy: " + text(zone, "policy"));
    line("source: " + (zone.hasNonNull("source") ? source(zone.get("source").asText()) : "<none>"));
    if (zone.hasNonNull("lastTransferIn")) {
      JsonNode transfer = zone.get("lastTransferIn");
      line("last transfer in: " + text(transfer, "kind") + " of serial " + text(transfer, "serial") + " at "
          + text(transfer, "at"));
    }
    line("");
    line("review");
    line("  loaded: " + reviewMode("loaded"));
    line("  signed: " + reviewMode("signed"));
    line("");
    line("last published");
    JsonNode last = zone.get("lastPublished");
    if (last == null || last.isNull()) {
      line("  <no versions published yet>");
    } else {
      line("  loaded serial: " + last.path("loadedSerial").asText());
      line("  signed serial: " + last.path("signedSerial").asText());
      line("  timestamp:     " + rfc3339(last.path("timestamp").asText()));
      line("  size:          " + last.path("recordCount").asText() + " records");
      signaturesExpire(last.get("signaturesExpireAt"));
      servedBy();
    }
    line("");
  }

  /**
   * When the published signatures start to expire, which the reference does not show; with a warning while a
   * re-signing, which would renew them, waits at the signed review (issue 13: a review must never let published
   * signatures expire unseen, the .mm and .zm outages).
   */
  private void signaturesExpire(JsonNode at) {
    if (at == null || at.isNull()) {
      return;
    }
    Instant t = Instant.parse(at.asText()).truncatedTo(ChronoUnit.SECONDS);
    Duration left = Duration.between(now.truncatedTo(ChronoUnit.SECONDS), t);
    line("  signatures expire: " + t + (left.isNegative() ? " (EXPIRED " + span(left.negated()) + " ago)"
        : " (in " + span(left) + ")"));
    JsonNode signed = zone.get("signed");
    // Waiting at the signed gate, or held there by a halt: either way nobody has approved it yet.
    if (signed != null && text(signed, "reviewStatus").equals("pending")
        && !text(signed, "cause").isEmpty() && !text(signed, "cause").equals("loaded")) {
      line("  WARNING: a re-signing (" + text(signed, "cause") + ") waits for review; until it is approved the "
          + "published signatures are not renewed");
    }
  }

  /**
   * Which publisher instance serves which signed serial ({@code publishers: 1 at 2026120705, 2 at 2026120704}, by
   * their instance names, CASCADE_INSTANCE or the pod's), when more than one announced what it serves: every
   * publisher replica serves every zone, and one that lags or failed to publish a version shows here. Not in the
   * reference, which has one publication server.
   */
  private void servedBy() {
    JsonNode servedBy = zone.path("servedBy");
    if (servedBy.size() < 2) {
      return;
    }
    List<String> each = new ArrayList<>();
    for (JsonNode served : servedBy) {
      each.add(served.path("instance").asText() + " at " + served.path("signedSerial").asText());
    }
    line("  publishers:    " + String.join(", ", each));
  }

  private void steps() {
    String progress = text(zone, "progress");
    line("status: " + progress);
    int current = PROGRESS.indexOf(progress);
    if (current < 0) {
      throw new CliException("unknown zone progress '" + progress + "' from the operator API");
    }
    if (progress.equals("idle") || progress.equals("restoring")) {
      return;
    }
    JsonNode unsigned = zone.get("unsigned");
    JsonNode signed = zone.get("signed");
    String unsignedSerial = serial(unsigned);
    String signedSerial = serial(signed);
    String name = text(zone, "name");

    // load
    if (current < LOADING) {
      line("  " + PENDING + " load");
    } else if (current > LOADING) {
      line("  " + DONE + " load (serial: " + unsignedSerial + ")");
    } else {
      line("  " + ONGOING + " load");
      line("  |   serial: <not yet known>");
      line("  |   start time: " + timeAgo(zone.get("loadStartedAt"), "<not started yet>"));
      progress("load");
      line("  |");
    }

    review("loaded", "unsigned", current, LOADED_REVIEW, HALT_LOADED, unsignedSerial, name,
        zone.path("unsignedReviewAddresses"));

    // persist loaded zone
    step(current, PERSIST_LOADED, "persist loaded zone");

    // sign
    if (current < SIGNING) {
      line("  " + PENDING + " sign");
    } else if (current == SIGNING || current == SIGNING_FAILED) {
      boolean failed = current == SIGNING_FAILED;
      line("  " + (failed ? ERROR : ONGOING) + " sign");
      line("  |   loaded serial: " + unsignedSerial);
      if (failed) {
        line("  |   ERROR: signing failed");
      } else {
        line("  |   signed serial: " + signedSerial);
        JsonNode started = signed == null ? null : signed.path("report").get("startedAt");
        line("  |   start time: " + timeAgo(started, "<not started yet>"));
        progress("sign");
      }
      line("  |");
    } else {
      line("  " + DONE + " sign (serial: " + signedSerial + ")");
    }

    review("signed", "signed", current, SIGNED_REVIEW, HALT_SIGNED, signedSerial, name,
        zone.path("signedReviewAddresses"));

    step(current, PERSIST_SIGNED, "persist signed zone");
    if (current == PERSIST_SIGNED && progress("publish")) {
      line("  |");
    }
    // Publishing ends the run (progress returns to idle), so while a run is shown it is still to come.
    line("  " + PENDING + " publish");
  }

  /** A review step: disabled, pending, waiting for the operator, rejected (halted) or done. */
  private void review(String what, String flag, int current, int waiting, int halted, String serial,
      String name, JsonNode addresses) {
    String mode = text(zone.path("review"), what);
    String title = "review " + what + " zone";
    if (mode.equals("off")) {
      line("  " + PENDING + " " + title + " (disabled)");
      return;
    }
    if (current < waiting) {
      line("  " + PENDING + " " + title);
    } else if (current == waiting) {
      line("  " + STOPPED + " " + title);
      line(mode.equals("script") ? "  |   the review hook decides, unless an operator does first"
          : "  |   zone must be reviewed manually");
      if (addresses.isEmpty()) {
        line("  |   no " + what + " review addresses were specified");
      } else {
        line("  |   " + what + " zone is available at:");
        for (JsonNode a : addresses) {
          line("  |     - " + a.asText());
        }
      }
      line("  |   possible actions:");
      line("  |     cascade zone approve --" + flag + " " + name + " " + serial);
      line("  |     cascade zone reject --" + flag + " " + name + " " + serial);
      line("  |");
    } else if (current == halted) {
      line("  " + ERROR + " " + title);
      line("  |   ERROR: zone was rejected");
      line("  |   possible actions:");
      line("  |     cascade zone override --" + flag + " " + name);
      line("  |     cascade zone reset " + name);
      line("  |");
    } else {
      line("  " + DONE + " " + title);
    }
  }

  /** What a phase's count is a count of, in the words of the progress line. */
  private static final Map<String, String> PHASE_PARTICIPLES = Map.of(
      "parse", "parsed", "read", "read", "sign", "signed", "verify", "verified", "write", "written");

  /**
   * Prints the progress line of the ongoing {@code step} if the service reported one for it; true if it did. Records
   * are counted with thousands separators, bytes in the reference's decimal units; the percentage is rounded down, so
   * it never reads 100% before the count is complete (a step may still work after it: a load sorts what it parsed).
   */
  private boolean progress(String step) {
    JsonNode p = zone.get("stepProgress");
    if (p == null || p.isNull() || !step.equals(p.path("step").asText())) {
      return false;
    }
    long done = p.path("done").asLong();
    long total = p.path("total").asLong();
    boolean bytes = p.path("unit").asText().equals("bytes");
    String counts = bytes ? bytes(done) + " / " + bytes(total)
        : String.format(Locale.ROOT, "%,d / %,d %s", done, total, p.path("unit").asText());
    String phase = p.path("phase").asText();
    String participle = PHASE_PARTICIPLES.getOrDefault(phase, phase);
    String percent = total > 0 ? " (" + Math.min(100, done * 100 / total) + "%)" : "";
    line("  |   progress: " + counts + " " + participle + percent);
    return true;
  }

  /**
   * A byte count as the reference prints it: decimal units, one decimal below 10 ({@code 9.4 KB}, {@code 94 KB}),
   * rounded down.
   */
  static String bytes(long n) {
    if (n < 1000) {
      return n + " B";
    }
    String[] units = {"KB", "MB", "GB", "TB"};
    double value = n / 1000.0;
    int unit = 0;
    while (value >= 1000 && unit < units.length - 1) {
      value /= 1000;
      unit++;
    }
    String number = value < 10 ? String.format(Locale.ROOT, "%.1f", Math.floor(value * 10) / 10)
        : Long.toString((long) value);
    return number + " " + units[unit];
  }

  private void step(int current, int position, String title) {
    String icon = current < position ? PENDING : current == position ? ONGOING : DONE;
    line("  " + icon + " " + title);
  }

  /**
   * The hard halt the zone is in, if any (issue 13 item 2): what caused it, who, since when, and the commands that
   * recover from it; the published version stays served meanwhile.
   */
  private void halt() {
    JsonNode halt = zone.get("halt");
    if (halt == null || halt.isNull()) {
      return;
    }
    line("");
    line("HALTED (" + text(halt, "cause") + ", " + text(halt, "mode") + ") by " + text(halt, "by") + " since "
        + timeAgo(halt.get("since"), "<unknown>"));
    line("  reason: " + text(halt, "reason"));
    line("  nothing new is published for this zone until the operator acts; the published version stays served");
    line("  possible actions:");
    for (JsonNode action : halt.path("recovery")) {
      line("    " + action.asText());
    }
  }

  private void trailer(boolean detailed) {
    String name = text(zone, "name");
    JsonNode last = zone.get("lastPublished");
    if (last != null && !last.isNull()) {
      line("");
      line("Published zone available at:");
      for (JsonNode a : zone.path("publishAddresses")) {
        line("  - " + a.asText());
      }
    }
    JsonNode error = zone.get("error");
    if (error != null && !error.isNull()) {
      line("");
      line("An error occurred during the last operation:");
      line("  ERROR: " + error.path("message").asText());
      line("  Run `cascade zone history " + name + "` for more information.");
    }
    JsonNode setAside = zone.path("setAside");
    if (!setAside.isEmpty()) {
      // Issue 9: an event a service could not handle is never dropped silently; it is shown here until the zone
      // publishes a later version, and stays on its topic (and its dead letter on the service's) to be read again.
      line("");
      line("Events set aside since the last publication (the zone may wait for them):");
      for (JsonNode a : setAside) {
        String what = a.hasNonNull("eventType") ? a.get("eventType").asText() : "a record that could not be decoded";
        int attempts = a.path("attempts").asInt();
        line("  - " + a.path("service").asText() + " set aside " + what + " at " + rfc3339(a.path("at").asText())
            + (attempts == 0 ? "" : " after " + attempts + " attempt(s)") + ":");
        line("    " + a.path("reason").asText());
        line("    (" + a.path("topic").asText() + " partition " + a.path("partition").asText() + " offset "
            + a.path("offset").asText() + "; dead letter on cascade." + a.path("service").asText()
            + "-dead-letters.v1)");
      }
    }
    dsSubmission();
    if (detailed) {
      line("");
      line("DNSSEC keys:");
      for (JsonNode key : zone.path("keys")) {
        line("  " + key.path("role").asText() + " tagged " + key.path("keyTag").asText() + ":");
        line("    Reference: " + key.path("reference").asText());
        line("    " + use(key.path("use")));
      }
      line("  Details:");
      if (zone.hasNonNull("dnskeyTtl")) {
        line("    DNSKEY TTL: " + zone.get("dnskeyTtl").asText() + "s");
      }
      for (JsonNode roll : zone.path("rolls")) {
        line("    " + roll.path("variant").asText() + " roll (" + roll.path("rollType").asText() + ", keys "
            + roll.path("oldKeys") + " out, " + roll.path("newKeys") + " in): " + roll.path("stage").asText()
            + roll.path("phase").asText());
        line("      Automatic key roll state: " + roll.path("waitingFor").asText());
        JsonNode check = roll.path("propagationCheck");
        if (check.isObject()) {
          // The reference's wording (dnst keyset status -v), then what the key manager's latest check saw.
          line("      Check that the following RRset has propagated to all name servers:");
          check.path("expected").forEach(expected -> line("        " + expected.asText()));
          line("      " + (check.path("propagated").asBoolean() ? "Propagated" : "Not propagated yet") + " at "
              + rfc3339(check.path("checkedAt").asText()) + ": " + check.path("summary").asText());
        }
      }
      for (JsonNode key : zone.path("keys")) {
        String expires = key.hasNonNull("expiresAt") ? "expires at " + rfc3339(key.get("expiresAt").asText())
            : "has no expiry";
        line("    key " + key.path("keyTag").asText() + " (" + key.path("role").asText() + ", algorithm "
            + key.path("algorithm").asText() + ", flags " + key.path("flags").asText() + ") created at "
            + rfc3339(key.path("createdAt").asText()) + ", " + expires);
      }
    }
  }

  /**
   * The DS RRset the key manager last asked the parent to hold (issue 14 item 6, the reference's #346): what to
   * submit and where, and what the policy's submission hook made of it. Shown until the DS is seen at the parent.
   */
  private void dsSubmission() {
    JsonNode ds = zone.get("dsSubmission");
    if (ds == null || ds.isNull()) {
      return;
    }
    line("");
    line("DS at the parent " + ds.path("parent").asText() + " (requested at " + rfc3339(ds.path("requestedAt").asText())
        + ": " + ds.path("cause").asText() + "):");
    if (ds.path("ds").isEmpty()) {
      line("  the parent is to hold no DS: remove every DS of the zone");
    } else {
      line("  the parent is to hold:");
      ds.path("ds").forEach(record -> line("    " + record.asText()));
    }
    ds.path("add").forEach(record -> line("  add:    " + record.asText()));
    ds.path("remove").forEach(record -> line("  remove: " + record.asText()));
    if (!ds.path("hook").asBoolean()) {
      line("  no submission hook: submit these to the parent's operator (registrar) by hand");
    } else if (!ds.hasNonNull("hookOutcome")) {
      line("  submission hook: running");
    } else {
      line("  submission hook " + ds.path("hookOutcome").asText() + " at "
          + rfc3339(ds.path("hookCompletedAt").asText()));
      String output = ds.path("hookOutput").asText().strip();
      if (!output.isEmpty()) {
        output.lines().forEach(l -> line("    | " + l));
      }
    }
  }

  /**
   * What a key does in the zone, from its {@code use}: absent where every key does all its role's jobs (the
   * reference's "Actively used for signing").
   */
  private static String use(JsonNode use) {
    if (use.isMissingNode() || use.isNull()) {
      return "Actively used for signing";
    }
    boolean signs = use.path("signsKeys").asBoolean() || use.path("signsZone").asBoolean();
    String published = use.path("published").asBoolean() ? "published" : "not published";
    String ds = use.path("atParent").asBoolean() ? ", its DS at the parent" : "";
    return (signs ? "Actively used for signing (" + published : "Not used for signing (" + published) + ds + ")";
  }

  private static String serial(JsonNode version) {
    return version == null || version.isNull() || !version.hasNonNull("serial") ? "<not yet known>"
        : version.get("serial").asText();
  }

  private String timeAgo(JsonNode when, String dflt) {
    if (when == null || when.isNull()) {
      return dflt;
    }
    Instant t = Instant.parse(when.asText()).truncatedTo(ChronoUnit.SECONDS);
    return t + " (" + span(Duration.between(t, now.truncatedTo(ChronoUnit.SECONDS))) + " ago)";
  }

  /** A span in the reference's friendly form: {@code 1d 2h 3m 4s}, leading zero units left out. */
  static String span(Duration d) {
    long s = Math.max(0, d.getSeconds());
    long days = s / 86400;
    long hours = s % 86400 / 3600;
    long minutes = s % 3600 / 60;
    long seconds = s % 60;
    StringBuilder b = new StringBuilder();
    if (days > 0) {
      b.append(days).append("d ");
    }
    if (hours > 0) {
      b.append(hours).append("h ");
    }
    if (minutes > 0) {
      b.append(minutes).append("m ");
    }
    if (seconds > 0 || b.length() == 0) {
      b.append(seconds).append("s");
    }
    return b.toString().trim();
  }

  /** RFC 3339 rounded to the second, as the reference prints timestamps. */
  static String rfc3339(String instant) {
    return Instant.parse(instant).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private String reviewMode(String what) {
    // on-reject shown only where it is not the reference's default, "discard".
    return reviewWording(text(zone.path("review"), what), text(zone.path("review"), what + "Hook"))
        + (text(zone.path("review"), what + "OnReject").equals("halt") ? " (on-reject = \"halt\")" : "");
  }

  /** A gate's review mode in the reference's words: {@code off}, {@code manual} or {@code script `<hook>`}. */
  static String reviewWording(String mode, String hook) {
    return mode + (hook.isEmpty() ? "" : " `" + hook + "`");
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? "" : v.asText();
  }

  private void line(String s) {
    out.append(s).append('\n');
  }

  /** A primary in the reference's words ({@code <ip:port> with TSIG key '<key>'}), a zone file as its path. */
  private static String source(String source) {
    return PrimarySource.of(source).map(PrimarySource::describe).orElse(source);
  }
}
