package dev.cascade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code cascade keyset <zone> …}, the reference's manual key-set controls (cascade-reference.md §3.1, §5): a roll
 * step, the records for the parent, or a key's removal. The zone comes before the action, as in the reference, so the
 * action is a parameter rather than a subcommand. A step or removal the zone's key set does not allow is refused at
 * once by the operator API with the state machine's reason; an accepted one is applied by the key manager, and its
 * outcome shows in {@code cascade zone history}.
 */
@Command(name = "keyset", mixinStandardHelpOptions = true,
    description = "Control a zone's keys by hand: take a key-roll step, get the records for the parent, remove a key.",
    footer = {"", "Usage forms:",
        "  cascade keyset <zone> ksk|zsk|csk|algorithm start-roll|propagation1-complete <ttl>|cache-expired1|"
            + "propagation2-complete <ttl>|cache-expired2|roll-done",
        "  cascade keyset <zone> get ds|dnskey|cds",
        "  cascade keyset <zone> remove-key [--force] [--continue] <key>",
        "", "<ttl> is in seconds, or a duration such as 1h, 2d (s, m, h, d, w). <key> is the key's reference",
        "(db:keymanager/<uuid>, as 'cascade zone status --detailed' shows it) or its key tag if no other key has it."})
final class KeysetCommand implements Callable<Integer> {

  private static final Set<String> VARIANTS = Set.of("ksk", "zsk", "csk", "algorithm");

  @ParentCommand Main main;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ZONE", description = "The zone's apex.")
  String zone;

  @Parameters(index = "1", paramLabel = "ACTION", description = "ksk, zsk, csk, algorithm, get or remove-key.")
  String action;

  @Parameters(index = "2..*", paramLabel = "ARG", description = "The step (and its TTL), the record type, or the key.")
  List<String> arguments = new ArrayList<>();

  @Option(names = "--force", description = "remove-key: remove a key that is still published, signing or at the"
      + " parent. Validators may then find signatures without their DNSKEY, or a DS without its key: the zone can"
      + " turn bogus.")
  boolean force;

  @Option(names = "--continue", description = "remove-key: remove a key that a roll in progress takes out; the roll"
      + " goes on without it.")
  boolean continueRoll;

  @Mixin OutputFormat format;

  @Override
  public Integer call() {
    String path = "key/" + ApiClient.segment(zone);
    if (!action.equals("remove-key") && (force || continueRoll)) {
      throw new CliException.Usage("--force and --continue belong to remove-key");
    }
    if (!action.equals("get") && format.json()) {
      throw new CliException.Usage("--format json belongs to get");
    }
    if (VARIANTS.contains(action)) {
      if (arguments.isEmpty() || arguments.size() > 2) {
        throw new CliException.Usage("expected: cascade keyset " + zone + " " + action + " <step> [<ttl>]");
      }
      Map<String, String> body = new LinkedHashMap<>();
      body.put("variant", action);
      body.put("step", arguments.get(0));
      body.put("ttl", arguments.size() == 2 ? arguments.get(1) : null);
      accepted(main.client().post(path + "/roll", body));
    } else if (action.equals("get")) {
      if (arguments.size() != 1) {
        throw new CliException.Usage("expected: cascade keyset " + zone + " get ds|dnskey|cds");
      }
      JsonNode res = main.client().get(path + "/" + ApiClient.segment(arguments.get(0).toLowerCase(Locale.ROOT)));
      if (!format.printJson(spec.commandLine().getOut(), recordList(res))) {
        spec.commandLine().getOut().print(res.path("records").asText());
      }
    } else if (action.equals("remove-key")) {
      if (arguments.size() != 1) {
        throw new CliException.Usage("expected: cascade keyset " + zone + " remove-key [--force] [--continue] <key>");
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("key", arguments.get(0));
      body.put("force", force);
      body.put("continue", continueRoll);
      accepted(main.client().post(path + "/remove", body));
    } else {
      throw new CliException.Usage("unknown keyset action '" + action + "': expected ksk, zsk, csk, algorithm, get or"
          + " remove-key");
    }
    return 0;
  }

  /**
   * The answer with its {@code records} text as an array of record lines, so a script takes each record without
   * parsing a zone file; the text's comments (RFC 1035 §5.1 {@code ;}) say what a roll waits for and go to
   * {@code comments}, without their {@code ;}.
   */
  static JsonNode recordList(JsonNode res) {
    ObjectNode listed = res.deepCopy();
    ArrayNode records = listed.putArray("records");
    ArrayNode comments = listed.putArray("comments");
    for (String line : res.path("records").asText().split("\n")) {
      if (line.startsWith(";")) {
        comments.add(line.substring(1).strip());
      } else if (!line.isBlank()) {
        records.add(line);
      }
    }
    return listed;
  }

  private void accepted(JsonNode res) {
    spec.commandLine().getOut().println(res.path("status").asText());
    spec.commandLine().getOut().println("The key manager applies it; 'cascade zone history "
        + res.path("name").asText() + "' shows the outcome.");
  }
}
