package dev.cascade.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * {@code --format text|json}, the one option every read command mixes in (issue 13 item 6). {@code json} prints the
 * operator API's own answer, pretty-printed and newline-terminated, so a script reads the fields the API documents
 * rather than a second rendering of the text; {@code text} (the default) prints the reference's layout.
 */
final class OutputFormat {

  /** The formats; an unknown one is a picocli usage error (exit 2) listing these. */
  enum Format {
    text,
    json
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). json prints the operator"
          + " API's answer.")
  Format format = Format.text;

  boolean json() {
    return format == Format.json;
  }

  /** Prints {@code answer}: as JSON, or as {@code text} renders it (a text that ends with its own newline). */
  void print(PrintWriter out, JsonNode answer, Function<JsonNode, String> text) {
    if (!printJson(out, answer)) {
      out.print(text.apply(answer));
    }
  }

  /**
   * Prints {@code answer} as JSON if that is the format, and says whether it did: for a command whose text goes to
   * both standard output and standard error.
   */
  boolean printJson(PrintWriter out, JsonNode answer) {
    if (json()) {
      out.println(pretty(answer));
    }
    return json();
  }

  static String pretty(JsonNode answer) {
    return write(answer, true);
  }

  /** One line: an NDJSON record of {@code zone status --watch}. */
  static String line(JsonNode answer) {
    return write(answer, false);
  }

  private static String write(JsonNode answer, boolean pretty) {
    try {
      return pretty ? JSON.writerWithDefaultPrettyPrinter().writeValueAsString(answer)
          : JSON.writeValueAsString(answer);
    } catch (JsonProcessingException e) {
      throw new CliException("cannot print the operator API's answer as JSON: " + e.getMessage(), e);
    }
  }
}
