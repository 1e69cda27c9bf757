package dev.cascade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Commands about the whole system rather than one zone: {@code status} and {@code health}. */
final class ServerCommands {

  private ServerCommands() {}

  /** {@code cascade status}: where zones are served, and which zones are halted. */
  @Command(name = "status", description = "Show the status of the signer.", mixinStandardHelpOptions = true)
  static final class Status implements Callable<Integer> {

    @ParentCommand Main main;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().getOut().print(render(main.client().get("status")));
      return 0;
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

    @Override
    public Integer call() {
      JsonNode res = main.client().get("health");
      if (!res.path("healthy").asBoolean()) {
        throw new CliException("the operator API reports it is not healthy");
      }
      spec.commandLine().getOut().println("Ok");
      return 0;
    }
  }
}
