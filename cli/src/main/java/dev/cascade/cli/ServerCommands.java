package dev.cascade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Commands about the whole system rather than one zone: {@code status} ({@code status keys}) and {@code health}. */
final class ServerCommands {

  private ServerCommands() {}

  /** {@code cascade status}: where zones are served, and which zones are halted; {@code status keys}: every key. */
  @Command(name = "status", description = "Show the status of the signer.", mixinStandardHelpOptions = true)
  static final class Status implements Callable<Integer> {

    @ParentCommand Main main;

    @Spec CommandSpec spec;

    @Mixin OutputFormat format;

    @Parameters(arity = "0..1", paramLabel = "keys", description = "keys: every key of every zone, and its expiry.")
    String what;

    @Override
    public Integer call() {
      if (what == null) {
        format.print(spec.commandLine().getOut(), main.client().get("status"), Status::render);
      } else if (what.equals("keys")) {
        format.print(spec.commandLine().getOut(), main.client().get("status/keys"),
            res -> renderKeys(res, main.clock().instant()));
      } else {
        throw new CliException.Usage("unknown status '" + what + "': expected keys, or nothing");
      }
      return 0;
    }

    /** How many keys "First to expire" lists, as the reference does ({@code cascade status keys}). */
    static final int FIRST_TO_EXPIRE = 5;

    /**
     * {@code cascade status keys} in the reference's layout: the keys that expire first (at most five), with the time
     * left or EXPIRED, then every zone's keys with what they do and the roll they are in.
     */
    static String renderKeys(JsonNode status, Instant now) {
      List<JsonNode[]> expiring = new ArrayList<>();
      for (JsonNode zone : status.path("zones")) {
        for (JsonNode key : zone.path("keys")) {
          if (key.hasNonNull("expiresAt")) {
            expiring.add(new JsonNode[] {zone, key});
          }
        }
      }
      expiring.sort(Comparator.comparing(pair -> Instant.parse(pair[1].path("expiresAt").asText())));
      StringBuilder b = new StringBuilder();
      b.append("First to expire (max ").append(FIRST_TO_EXPIRE).append("):\n");
      if (expiring.isEmpty()) {
        b.append("  No key has an expiry\n");
      } else {
        b.append(String.format("  %-30s %-16s %s%n", "Zone", "Key", "Time left"));
      }
      for (JsonNode[] pair : expiring.subList(0, Math.min(FIRST_TO_EXPIRE, expiring.size()))) {
        b.append(String.format("  %-30s %-16s %s%n", pair[0].path("zone").asText(), name(pair[1]),
            timeLeft(Instant.parse(pair[1].path("expiresAt").asText()), now)));
      }
      b.append("\nKeys per zone:\n");
      if (status.path("zones").isEmpty()) {
        b.append("  No zones\n");
      }
      for (JsonNode zone : status.path("zones")) {
        b.append("  ").append(zone.path("zone").asText()).append('\n');
        for (JsonNode key : zone.path("keys")) {
          List<String> uses = new ArrayList<>();
          key.path("uses").forEach(use -> uses.add(use.asText()));
          b.append("    ").append(name(key)).append(" algorithm ").append(key.path("algorithm").asText())
              .append(": ").append(uses.isEmpty() ? "not in use" : String.join(", ", uses))
              .append(key.hasNonNull("expiresAt")
                  ? "; expires " + key.path("expiresAt").asText() + " (" + timeLeft(
                      Instant.parse(key.path("expiresAt").asText()), now) + ")"
                  : "; no expiry")
              .append(key.hasNonNull("roll") ? "; " + key.path("roll").asText() : "")
              .append("\n      ").append(key.path("reference").asText()).append('\n');
        }
      }
      return b.toString();
    }

    private static String name(JsonNode key) {
      return key.path("role").asText() + " " + key.path("keyTag").asText();
    }

    /** "12d 3h", "3h 20m", "45m", or EXPIRED once past. */
    private static String timeLeft(Instant expiresAt, Instant now) {
      Duration left = Duration.between(now, expiresAt);
      if (left.isNegative() || left.isZero()) {
        return "EXPIRED";
      }
      if (left.toDays() > 0) {
        return left.toDays() + "d " + left.toHoursPart() + "h";
      }
      if (left.toHours() > 0) {
        return left.toHours() + "h " + left.toMinutesPart() + "m";
      }
      return Math.max(1, left.toMinutes()) + "m";
    }

    static String render(JsonNode s) {
      StringBuilder b = new StringBuilder();
      addresses(b, "Loaded zone review server", s.path("unsignedReviewAddresses"));
      addresses(b, "Signed zone review server", s.path("signedReviewAddresses"));
      addresses(b, "Publication server", s.path("publishAddresses"));
      b.append('\n');
      b.append("Zones: ").append(s.path("zones").asText()).append('\n');
      if (s.path("haltedZones").isEmpty()) {
        b.append("No zones are halted\n");
      } else {
        b.append("Halted zones:\n");
        for (JsonNode z : s.path("haltedZones")) {
          b.append("  - ").append(z.path("zone").asText()).append(": ").append(z.path("reason").asText())
              .append('\n');
          // Who and since when, and how to recover (our addition; the reference lists name and reason).
          if (z.hasNonNull("cause")) {
            b.append("    ").append(z.path("progress").asText()).append(", by ").append(z.path("by").asText())
                .append(" since ").append(z.path("since").asText()).append('\n');
            for (JsonNode action : z.path("recovery")) {
              b.append("    run: ").append(action.asText()).append('\n');
            }
          }
        }
      }
      return b.toString();
    }

    private static void addresses(StringBuilder b, String title, JsonNode list) {
      b.append(title).append(":\n");
      for (JsonNode a : list) {
        b.append("  - ").append(a.asText()).append('\n');
      }
    }
  }

  /** {@code cascade health}: prints {@code Ok} when the operator API answers healthy, as the reference does. */
  @Command(name = "health", description = "Check that the operator API answers.", mixinStandardHelpOptions = true)
  static final class Health implements Callable<Integer> {

    @ParentCommand Main main;

    @Spec CommandSpec spec;

    @Mixin OutputFormat format;

    /** In either format an unhealthy answer exits 1, so a script may test the status alone. */
    @Override
    public Integer call() {
      JsonNode res = main.client().get("health");
      boolean printed = format.printJson(spec.commandLine().getOut(), res);
      if (!res.path("healthy").asBoolean()) {
        throw new CliException("the operator API reports it is not healthy");
      }
      if (!printed) {
        spec.commandLine().getOut().println("Ok");
      }
      return 0;
    }
  }
}
