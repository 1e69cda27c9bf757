package dev.cascade.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cascade}: the operator's client for the Cascade operator API. Commands, flags and messages follow the
 * reference CLI (cascade-reference.md §3.1).
 */
@Command(
    name = "cascade",
    mixinStandardHelpOptions = true,
    version = "cascade 0.1.0-SNAPSHOT",
    description = "Manage the Cascade DNSSEC signer through its operator API.",
    subcommands = {ZoneCommands.class, PolicyCommands.class, ServerCommands.Status.class, ServerCommands.Health.class,
        SignZoneCommand.class, KeysetCommand.class, TsigCommands.class, MigrateCommand.class})
public final class Main {

  /** The reference's default operator API address ({@code [remote-control] servers}). */
  static final String DEFAULT_SERVER = "127.0.0.1:4539";
  /** Environment variable naming the server, as in the reference. */
  static final String SERVER_ENV = "CASCADE_DAEMON";

  @Option(names = {"-s", "--server"}, paramLabel = "IP:PORT",
      description = "Operator API address (default: $" + SERVER_ENV + " or " + DEFAULT_SERVER + ").")
  String server;

  private Map<String, String> env = Map.of();
  private Clock clock = Clock.systemUTC();
  private ApiClient client;

  /** The client for the chosen server: {@code -s}, else {@code $CASCADE_DAEMON}, else the default. */
  ApiClient client() {
    if (client == null) {
      String address = server != null ? server : env.getOrDefault(SERVER_ENV, DEFAULT_SERVER);
      client = new ApiClient(address);
    }
    return client;
  }

  Clock clock() {
    return clock;
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    System.exit(run(args, out, err, System.getenv(), Clock.systemUTC()));
  }

  /** Runs one command line; returns the exit status (0 ok, 1 on any error, which is printed as ERROR: …). */
  public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env, Clock clock) {
    Main main = new Main();
    main.env = env;
    main.clock = clock;
    CommandLine cl = new CommandLine(main);
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("ERROR: " + (e instanceof CliException || e.getMessage() != null ? e.getMessage()
          : e.getClass().getSimpleName()));
      cmd.getErr().flush();
      return 1;
    });
    cl.setParameterExceptionHandler((e, params) -> {
      CommandLine cmd = e.getCommandLine();
      cmd.getErr().println("ERROR: " + e.getMessage());
      cmd.getErr().println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
      cmd.getErr().flush();
      return 1;
    });
    int status = cl.execute(args);
    out.flush();
    return status;
  }
}
