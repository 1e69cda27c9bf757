package dev.cascade.events.registry;

import java.io.PrintStream;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The deploy step as a command: {@code RegisterSchemas --registry <url>} runs {@link SchemaRegistration#run} and
 * exits 0, or prints {@code ERROR: <reason>} and exits 1 (2 for a wrong command line).
 *
 * <p>A main class here rather than a {@code cascade} subcommand: the step runs where Cascade is deployed, and every
 * service image already holds this module and the registry's serde in {@code /deployments/lib/main} (with the logging
 * they need in {@code lib/boot}), so compose and the chart run it from a service image ({@code java -cp
 * '/deployments/lib/boot/*:/deployments/lib/main/*' ...}) and need no image of their own; the CLI stays a client of
 * the operator API without Kafka or registry libraries.
 */
public final class RegisterSchemas {

  static final String USAGE = "usage: RegisterSchemas --registry <url>\n"
      + "  Sets the registry's global compatibility rule to FULL_TRANSITIVE and registers the schema of every event\n"
      + "  topic; safe to run again. <url> is the registry's API base, e.g.\n"
      + "  http://127.0.0.1:8089/apis/registry/v2 (Apicurio 2.x) or http://registry:8080/apis/registry/v3 (3.x).";

  /**
   * Library chatter below WARNING, such as the serde's resolver logging each schema it looks up in full at INFO:
   * the lines this step prints say what happened, one per topic. Held here, as java.util.logging keeps loggers only
   * weakly.
   */
  private static final Logger ROOT_LOG = Logger.getLogger("");

  /**
   * The serde warns that a 2.x registry is deprecated each time a serializer connects to one, here twice per topic;
   * the local stack runs 2.4.2 on purpose (stack-notes §4). Apicurio 3.1.7 names its loggers by simple class name.
   */
  private static final Logger CLIENT_FACTORY_LOG = Logger.getLogger("RegistryClientFacadeFactory");

  private RegisterSchemas() {}

  public static void main(String[] args) {
    ROOT_LOG.setLevel(Level.WARNING);
    CLIENT_FACTORY_LOG.setLevel(Level.SEVERE);
    System.exit(run(List.of(args), System.out, System.err));
  }

  /** Runs one command line; returns the exit status. */
  static int run(List<String> args, PrintStream out, PrintStream err) {
    String registry = null;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("-h") || arg.equals("--help")) {
        out.println(USAGE);
        return 0;
      } else if (arg.equals("--registry") && i + 1 < args.size()) {
        registry = args.get(++i);
      } else if (arg.startsWith("--registry=")) {
        registry = arg.substring("--registry=".length());
      } else {
        err.println("ERROR: unexpected argument '" + arg + "'");
        err.println(USAGE);
        return 2;
      }
    }
    if (registry == null || registry.isBlank()) {
      err.println("ERROR: --registry <url> is required");
      err.println(USAGE);
      return 2;
    }
    String url = registry.endsWith("/") ? registry.substring(0, registry.length() - 1) : registry;
    out.println("registry " + url);
    try {
      SchemaRegistration.run(url, out);
      return 0;
    } catch (RuntimeException e) {
      err.println("ERROR: " + (e.getMessage() != null ? e.getMessage() : e.getClass().getName()));
      return 1;
    }
  }
}
