package dev.cascade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cascade.dnssec.keys.BindKeyFile;
import dev.cascade.dnssec.xfr.PrimarySource;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code cascade zone …}: add, list, status, history, reload, remove, approve and reject zones, override, reset, halt
 * and resume them, and change a zone's policy or source.
 */
@Command(name = "zone", description = "Manage zones.", mixinStandardHelpOptions = true)
final class ZoneCommands {

  @ParentCommand Main main;

  @Spec CommandSpec spec;

  /** {@code --unsigned} or {@code --signed}: which review gate a decision is for. */
  static final class Stage {
    @Option(names = "--unsigned", required = true, description = "The loaded (unsigned) version.")
    boolean unsigned;

    @Option(names = "--signed", required = true, description = "The signed version.")
    boolean signed;

    String path() {
      return unsigned ? "unsigned" : "signed";
    }
  }

  @Command(name = "add", description = "Add a new zone.", mixinStandardHelpOptions = true)
  int add(
      @Parameters(paramLabel = "NAME", description = "The zone's apex.") String name,
      @Option(names = "--source", required = true, paramLabel = "<IP[:PORT][^TSIG]|PATH>",
          description = "The zone's primary (port 53 by default), or its zone file.") String source,
      @Option(names = "--policy", required = true, paramLabel = "POLICY", description = "The policy to use.")
          String policy,
      @Option(names = "--import-ksk-file", paramLabel = "PATH",
          description = "Import a KSK from BIND key files (.key or .private; the other is found beside it).")
          List<Path> kskFiles,
      @Option(names = "--import-zsk-file", paramLabel = "PATH", description = "Import a ZSK from BIND key files.")
          List<Path> zskFiles,
      @Option(names = "--import-csk-file", paramLabel = "PATH", description = "Import a CSK from BIND key files.")
          List<Path> cskFiles,
      @Option(names = "--import-public-key", paramLabel = "PATH",
          description = "Publish a DNSKEY from a BIND .key file without signing with it (another signer's key).")
          List<Path> publicKeyFiles) {
    List<Map<String, String>> imports = new ArrayList<>();
    addImports(imports, "ksk", kskFiles);
    addImports(imports, "zsk", zskFiles);
    addImports(imports, "csk", cskFiles);
    if (!imports.isEmpty()) {
      requireConfidentialChannel(main.client().base());
    }
    addPublicKeys(imports, publicKeyFiles);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("source", source(source));
    body.put("policy", policy);
    if (!imports.isEmpty()) {
      body.put("keyImports", imports);
    }
    JsonNode res = main.client().post("zone/add", body);
    String zone = res.path("name").asText();
    print("Zone " + zone + " scheduled for loading, use 'cascade zone status " + zone + "' to see the status.");
    return 0;
  }

  /**
   * Reads each key pair's two files here, not in the service: the CLI may run on another machine than review-gateway
   * (the reference's daemon reads them itself, cascade-reference.md §3.1). review-gateway checks them and wraps the
   * private key before it goes anywhere else.
   */
  private static void addImports(List<Map<String, String>> imports, String type, List<Path> files) {
    if (files == null) {
      return;
    }
    for (Path file : files) {
      Path publicFile = BindKeyFile.publicFileOf(file);
      Path privateFile = BindKeyFile.privateFileOf(file);
      Map<String, String> entry = new LinkedHashMap<>();
      entry.put("type", type);
      entry.put("publicKeyFile", publicFile.getFileName().toString());
      entry.put("publicKey", read(publicFile));
      entry.put("privateKeyFile", privateFile.getFileName().toString());
      entry.put("privateKey", read(privateFile));
      imports.add(entry);
    }
  }

  /** Only the {@code .key} file of each: a public key may travel in clear. */
  private static void addPublicKeys(List<Map<String, String>> imports, List<Path> files) {
    if (files == null) {
      return;
    }
    for (Path file : files) {
      Path publicFile = BindKeyFile.publicFileOf(file);
      Map<String, String> entry = new LinkedHashMap<>();
      entry.put("type", "public");
      entry.put("publicKeyFile", publicFile.getFileName().toString());
      entry.put("publicKey", read(publicFile));
      imports.add(entry);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new CliException("cannot read key file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * A private key may leave this machine only inside TLS (house-style §6: never in clear on the wire): over plain HTTP
   * the CLI sends it only to a loopback address, where it never crosses a network.
   */
  static void requireConfidentialChannel(URI server) {
    if ("https".equalsIgnoreCase(server.getScheme())) {
      return;
    }
    String host = server.getHost();
    boolean loopback;
    try {
      loopback = host != null && InetAddress.getByName(host.replaceAll("^\\[|\\]$", "")).isLoopbackAddress();
    } catch (UnknownHostException e) {
      loopback = false;
    }
    if (!loopback) {
      throw new CliException("refusing to send private keys over plain HTTP to " + host
          + ": use an https:// server address, or run cascade on the host of the operator API");
    }
  }

  @Command(name = "remove", description = "Remove a zone.", mixinStandardHelpOptions = true)
  int remove(@Parameters(paramLabel = "NAME") String name) {
    JsonNode res = main.client().post("zone/" + ApiClient.segment(name) + "/remove", null);
    print("Removed zone " + res.path("name").asText());
    return 0;
  }

  @Command(name = "list", description = "List registered zones.", mixinStandardHelpOptions = true)
  int list(@Mixin OutputFormat format) {
    JsonNode res = main.client().get("zone/");
    if (format.printJson(spec.commandLine().getOut(), res)) {
      return 0;
    }
    if (res.path("zones").isEmpty()) {
      spec.commandLine().getErr().println("No zones to show");
    }
    for (JsonNode z : res.path("zones")) {
      print(z.asText());
    }
    return 0;
  }

  @Command(name = "reload", description = "Reload a zone from its zone file.", mixinStandardHelpOptions = true)
  int reload(@Parameters(paramLabel = "NAME") String name) {
    JsonNode res = main.client().post("zone/" + ApiClient.segment(name) + "/reload", null);
    print("Success: Sent zone reload command for " + res.path("name").asText());
    return 0;
  }

  @Command(name = "set-policy", description = "Give a zone another policy, from its next version on.",
      mixinStandardHelpOptions = true)
  int setPolicy(
      @Parameters(paramLabel = "NAME", description = "The zone's apex.") String name,
      @Parameters(paramLabel = "POLICY", description = "The policy to use.") String policy) {
    JsonNode res = main.client().post("zone/" + ApiClient.segment(name) + "/set-policy", Map.of("policy", policy));
    print(res.path("status").asText());
    return 0;
  }

  @Command(name = "set-source", description = "Load a zone from another primary or zone file, starting now.",
      mixinStandardHelpOptions = true)
  int setSource(
      @Parameters(paramLabel = "NAME", description = "The zone's apex.") String name,
      @Parameters(paramLabel = "<IP[:PORT][^TSIG]|PATH>",
          description = "The zone's primary (port 53 by default), or its zone file.") String source) {
    JsonNode res =
        main.client().post("zone/" + ApiClient.segment(name) + "/set-source", Map.of("source", source(source)));
    print(res.path("status").asText());
    return 0;
  }

  /** The service may run in another directory, so paths go absolute (the reference CLI canonicalises too). */
  /** A primary as given ({@code <IP>[:<PORT>][^<TSIG key>]}, canonical), else a zone file's absolute path. */
  private static String source(String given) {
    return PrimarySource.of(given).map(PrimarySource::toString).orElseGet(() -> absolute(given));
  }

  private static String absolute(String path) {
    try {
      return Path.of(path).toAbsolutePath().normalize().toString();
    } catch (InvalidPathException e) {
      throw new CliException("'" + path + "' is not a path: " + e.getMessage());
    }
  }

  @Command(name = "approve", description = "Approve a zone version being reviewed.", mixinStandardHelpOptions = true)
  int approve(
      @ArgGroup(exclusive = true, multiplicity = "1") Stage stage,
      @Parameters(index = "0", paramLabel = "NAME") String name,
      @Parameters(index = "1", paramLabel = "SERIAL") long serial) {
    return review(stage, name, serial, "approve");
  }

  @Command(name = "reject", description = "Reject a zone version being reviewed.", mixinStandardHelpOptions = true)
  int reject(
      @ArgGroup(exclusive = true, multiplicity = "1") Stage stage,
      @Parameters(index = "0", paramLabel = "NAME") String name,
      @Parameters(index = "1", paramLabel = "SERIAL") long serial) {
    return review(stage, name, serial, "reject");
  }

  @Command(name = "override", description = "Let the version whose rejection halted a zone go on as if approved.",
      mixinStandardHelpOptions = true)
  int override(
      @ArgGroup(exclusive = true, multiplicity = "1") Stage stage,
      @Parameters(paramLabel = "NAME") String name) {
    JsonNode res = main.client().post("zone/" + ApiClient.segment(name) + "/" + stage.path() + "/override", null);
    print(res.path("status").asText());
    return 0;
  }

  @Command(name = "reset", description = "Return a halted zone to waiting, dropping the version that halted it.",
      mixinStandardHelpOptions = true)
  int reset(@Parameters(paramLabel = "NAME") String name) {
    return haltCommand(name, "reset", null);
  }

  @Command(name = "halt", description = "Halt a zone: nothing new is published for it until it is resumed.",
      mixinStandardHelpOptions = true)
  int halt(
      @Parameters(paramLabel = "NAME") String name,
      @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for status and history.") String reason) {
    return haltCommand(name, "halt", reason == null ? null : Map.of("reason", reason));
  }

  @Command(name = "resume", description = "Lift a halt made with cascade zone halt.", mixinStandardHelpOptions = true)
  int resume(@Parameters(paramLabel = "NAME") String name) {
    return haltCommand(name, "resume", null);
  }

  private int haltCommand(String name, String action, Object body) {
    JsonNode res = main.client().post("zone/" + ApiClient.segment(name) + "/" + action, body);
    print(res.path("status").asText());
    return 0;
  }

  private int review(Stage stage, String name, long serial, String action) {
    // RFC 1035 §3.3.13: SOA SERIAL is an unsigned 32-bit number.
    if (serial < 0 || serial > 0xFFFF_FFFFL) {
      throw new CliException.Usage("serial " + serial + " is not an unsigned 32-bit number");
    }
    main.client().post("zone/" + ApiClient.segment(name) + "/" + stage.path() + "/" + serial + "/" + action, null);
    print((action.equals("approve") ? "Approved " : "Rejected ") + stage.path() + " zone '" + name
        + "' with serial number " + serial);
    return 0;
  }

  /** {@code --watch}'s default {@code --interval}, in seconds: as procps {@code watch}, whose default is 2 s. */
  static final long WATCH_INTERVAL_DEFAULT = 2;

  /**
   * ANSI "cursor home" then "erase display" (ECMA-48 §8.3.21 CUP, §8.3.39 ED): {@code watch}'s clear screen, sent only
   * to a terminal.
   */
  private static final String CLEAR_SCREEN = "\033[H\033[2J";

  @Command(name = "status", description = "Get the status of a single zone.", mixinStandardHelpOptions = true)
  int status(
      @Mixin OutputFormat format,
      @Option(names = "--detailed", description = "Also show the zone's DNSSEC keys.") boolean detailed,
      @Option(names = "--watch", description = "Show the status again every --interval until interrupted (Ctrl-C);"
          + " with --format json, one JSON object per line.") boolean watch,
      @Option(names = "--interval", paramLabel = "SECONDS",
          description = "With --watch: seconds between two renders, at least 1 (default: " + WATCH_INTERVAL_DEFAULT
              + ").") Long interval,
      @Option(names = "--watch-count", hidden = true, defaultValue = "0",
          description = "With --watch: stop after this many renders (0: never); for tests.") long count,
      @Parameters(paramLabel = "NAME") String name) throws InterruptedException {
    String path = "zone/" + ApiClient.segment(name) + "/status";
    if (!watch) {
      if (interval != null) {
        throw new CliException.Usage("--interval belongs to --watch");
      }
      format.print(spec.commandLine().getOut(), main.client().get(path),
          res -> StatusRenderer.render(res, detailed, main.clock().instant()));
      return 0;
    }
    long seconds = interval == null ? WATCH_INTERVAL_DEFAULT : interval;
    if (seconds < 1) {
      throw new CliException.Usage("--interval must be at least 1 second, not " + seconds);
    }
    PrintWriter out = spec.commandLine().getOut();
    // Java 17: System.console() is null unless standard input and output are both a terminal; only a terminal gets
    // the clear-screen sequence, a pipe or a log file gets a separator line it can keep.
    boolean terminal = System.console() != null;
    for (long n = 1; ; n++) {
      // An API error ends the loop with its message and exit status 1, as a single status does.
      JsonNode res = main.client().get(path);
      if (format.json()) {
        out.println(OutputFormat.line(res));
      } else {
        Instant now = main.clock().instant();
        if (terminal) {
          out.print(CLEAR_SCREEN);
        } else if (n > 1) {
          out.println("--- " + now.truncatedTo(ChronoUnit.SECONDS));
        }
        out.print(StatusRenderer.render(res, detailed, now));
      }
      out.flush();
      if (n == count) {
        return 0;
      }
      Thread.sleep(seconds * 1000);
    }
  }

  @Command(name = "history", description = "Get the history of a single zone.", mixinStandardHelpOptions = true)
  int history(@Mixin OutputFormat format, @Parameters(paramLabel = "NAME") String name) {
    format.print(spec.commandLine().getOut(), main.client().get("zone/" + ApiClient.segment(name) + "/history"),
        res -> historyTable(res) + System.lineSeparator());
    return 0;
  }

  /** The reference's history table: {@code Timestamp  Serial  Event}, serial "-" when an event has none. */
  static String historyTable(JsonNode history) {
    StringBuilder b = new StringBuilder();
    b.append(String.format("%-25s %-10s Event%n", "Timestamp", "Serial"));
    b.append(String.format("%-25s %-10s -----%n", "---------", "------"));
    for (JsonNode item : history.path("history")) {
      String when = Instant.parse(item.path("when").asText()).truncatedTo(ChronoUnit.SECONDS).toString();
      String serial = item.hasNonNull("serial") ? item.get("serial").asText() : "-";
      b.append(String.format("%-25s %-10s %s%n", when, serial, item.path("event").asText()));
    }
    return b.toString().stripTrailing();
  }

  private void print(String s) {
    spec.commandLine().getOut().println(s);
  }
}
