package dev.cascade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cascade.dnssec.tsig.TsigAlgorithm;
import dev.cascade.dnssec.tsig.TsigKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code cascade tsig add|list|remove}: the TSIG keys (RFC 8945) transfers and NOTIFYs are signed with, as the
 * reference has them (cascade-reference.md §3.1). Secrets are sent to the local operator API only, and never printed.
 */
@Command(name = "tsig", description = "Manage TSIG keys.", mixinStandardHelpOptions = true)
final class TsigCommands {

  @ParentCommand Main main;

  @Spec CommandSpec spec;

  /**
   * {@code tsig add <NAME> <ALG> <SECRET|FILE>} or {@code tsig add [<ALG>:]<NAME>:<SECRET>}. A FILE is a BIND key file
   * ({@code tsig-keygen} output; its clause for NAME, or its only one) or a file holding the base64 secret alone.
   */
  @Command(name = "add", description = "Add a TSIG key: <NAME> <ALG> <SECRET|FILE>, or [<ALG>:]<NAME>:<SECRET>"
      + " (algorithm hmac-sha1, hmac-sha256, hmac-sha384 or hmac-sha512; default hmac-sha256).",
      mixinStandardHelpOptions = true)
  int add(@Parameters(paramLabel = "KEY", arity = "1..3") List<String> args) {
    TsigKey key = switch (args.size()) {
      case 1 -> parse(() -> TsigKey.parse(args.get(0)));
      case 3 -> parse(() -> fromParts(args.get(0), TsigAlgorithm.parse(args.get(1)), args.get(2)));
      default -> throw new CliException.Usage("tsig add takes <NAME> <ALG> <SECRET|FILE> or [<ALG>:]<NAME>:<SECRET>");
    };
    Map<String, String> body = new LinkedHashMap<>();
    body.put("name", key.displayName());
    body.put("algorithm", key.algorithm().mnemonic());
    body.put("secret", Base64.getEncoder().encodeToString(key.secret()));
    JsonNode res = main.client().post("tsig/add", body);
    spec.commandLine().getOut().println(res.path("status").asText());
    return 0;
  }

  /** {@code tsig list}: each key with its algorithm and users, never its secret. */
  @Command(name = "list", description = "List the TSIG keys and what uses them.", mixinStandardHelpOptions = true)
  int list(@Mixin OutputFormat format) {
    format.print(spec.commandLine().getOut(), main.client().get("tsig/"), TsigCommands::render);
    return 0;
  }

  /** One line per key: its name, algorithm and users. */
  static String render(JsonNode res) {
    StringBuilder b = new StringBuilder();
    for (Iterator<Map.Entry<String, JsonNode>> it = res.path("keys").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> key = it.next();
      List<String> users = new ArrayList<>();
      key.getValue().path("users").forEach(u -> users.add(u.asText()));
      b.append(key.getKey()).append(" (").append(key.getValue().path("algorithm").asText()).append("): ")
          .append(users.isEmpty() ? "not in use" : "used by " + String.join(", ", users)).append('\n');
    }
    return b.toString();
  }

  /** {@code tsig remove <NAME>}: refused while a zone or server setting uses the key. */
  @Command(name = "remove", description = "Remove a TSIG key that nothing uses.", mixinStandardHelpOptions = true)
  int remove(@Parameters(paramLabel = "NAME") String name) {
    JsonNode res = main.client().post("tsig/" + ApiClient.segment(name) + "/remove", null);
    spec.commandLine().getOut().println(res.path("status").asText());
    return 0;
  }

  /** The key of the three-argument form: the secret given, or read from a file. */
  private static TsigKey fromParts(String name, TsigAlgorithm algorithm, String secretOrFile) {
    Path file = file(secretOrFile);
    if (file == null) {
      return TsigKey.of(name, algorithm, secretOrFile);
    }
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new CliException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (!text.contains("{")) {
      return TsigKey.of(name, algorithm, text.trim());
    }
    List<TsigKey> keys = TsigKey.parseBindKeyFile(text);
    TsigKey wanted = keys.size() == 1 ? keys.get(0) : keys.stream()
        .filter(k -> k.name().equals(TsigKey.nameOf(name))).findFirst()
        .orElseThrow(() -> new CliException("key file " + file + " has no key " + name));
    return TsigKey.of(name, algorithm, wanted.secret());
  }

  /** The file {@code text} names, if it names an existing one; a base64 secret may look like a relative path. */
  private static Path file(String text) {
    try {
      Path path = Path.of(text);
      return Files.isRegularFile(path) ? path : null;
    } catch (InvalidPathException e) {
      return null;
    }
  }

  private static TsigKey parse(Supplier<TsigKey> source) {
    try {
      return source.get();
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage(), e);
    }
  }
}
