package dev.cascade.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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
        SignZoneCommand.class, KeysetCommand.class, TsigCommands.class, MigrateCommand.class, AuditCommands.class,
        AutoComplete.GenerateCompletion.class})
public final class Main implements Runnable {

  /** The exit statuses, listed in every command's {@code --help}. */
  static final Map<String, String> EXIT_CODES = new LinkedHashMap<>();

  static {
    EXIT_CODES.put("0", "Success.");
    EXIT_CODES.put("1", "Failure: the operator API refused the request or could not be reached, or the work failed.");
    EXIT_CODES.put("2", "Usage error: a command line the command cannot take.");
  }

  @Spec
  CommandSpec spec;

  /** The reference's default operator API address ({@code [remote-control] servers}). */
  static final String DEFAULT_SERVER = "127.0.0.1:4539";
  /** Environment variable naming the server, as in the reference. */
  static final String SERVER_ENV = "CASCADE_DAEMON";

  @Option(names = {"-s", "--server"}, paramLabel = "IP:PORT",
      description = "Operator API address (default: $" + SERVER_ENV + " or " + DEFAULT_SERVER + ").")
  String server;

  /** Environment variable holding the API token itself. */
  static final String TOKEN_ENV = "CASCADE_TOKEN";
  /** Environment variable naming a file that holds the API token ({@code make up} writes .state/api-token). */
  static final String TOKEN_FILE_ENV = "CASCADE_TOKEN_FILE";

  @Option(names = "--token", paramLabel = "TOKEN",
      description = "Operator API token (default: $" + TOKEN_ENV + ", else the file $" + TOKEN_FILE_ENV
          + " names, else ~/.config/cascade/token). A token given here shows in the process list: prefer the file.")
  String token;

  private Map<String, String> env = Map.of();
  private Clock clock = Clock.systemUTC();
  private ApiClient client;

  /** The client for the chosen server: {@code -s}, else {@code $CASCADE_DAEMON}, else the default. */
  ApiClient client() {
    if (client == null) {
      String address = server != null ? server : env.getOrDefault(SERVER_ENV, DEFAULT_SERVER);
      client = new ApiClient(address, ApiToken.find(token, env));
    }
    return client;
  }

  Clock clock() {
    return clock;
  }

  /** The environment the command line runs in: the defaults of {@code cascade audit}'s Kafka and registry. */
  Map<String, String> env() {
    return env;
  }

  /** A bare {@code cascade}: the usage, on standard error, and the usage error's status (as clap's). */
  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed");
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    System.exit(run(args, out, err, System.getenv(), Clock.systemUTC()));
  }

  /**
   * Runs one command line; returns the exit status ({@link #EXIT_CODES}): an error is printed as {@code ERROR: …},
   * a usage error with a pointer to {@code --help}.
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env, Clock clock) {
    Main main = new Main();
    main.env = env;
    main.clock = clock;
    CommandLine cl = new CommandLine(main);
    cl.setOut(out);
    cl.setErr(err);
    listExitCodes(cl);
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("ERROR: " + (e instanceof CliException || e.getMessage() != null ? e.getMessage()
          : e.getClass().getSimpleName()));
      if (e instanceof CliException.Usage) {
        seeHelp(cmd);
        return 2;
      }
      cmd.getErr().flush();
      return 1;
    });
    cl.setParameterExceptionHandler((e, params) -> {
      CommandLine cmd = e.getCommandLine();
      cmd.getErr().println("ERROR: " + e.getMessage());
      if (cmd == cl && params.length == 0) {
        cl.usage(cmd.getErr());
        cmd.getErr().flush();
      } else {
        seeHelp(cmd);
      }
      return 2;
    });
    int status = cl.execute(args);
    out.flush();
    return status;
  }

  private static void seeHelp(CommandLine cmd) {
    cmd.getErr().println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
    cmd.getErr().flush();
  }

  /** Puts the exit statuses in the help of the command and of every subcommand. */
  private static void listExitCodes(CommandLine cmd) {
    cmd.getCommandSpec().usageMessage().exitCodeListHeading("%nExit status:%n").exitCodeList(EXIT_CODES);
    cmd.getSubcommands().values().forEach(Main::listExitCodes);
  }
}
