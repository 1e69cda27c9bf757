package dev.cascade.testinfra.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape in the Prometheus text format (prometheus.io/docs/instrumenting/exposition_formats), or OpenMetrics, which
 * Quarkus serves: its samples, each a name, labels and a value. Comments ({@code # HELP}, {@code # TYPE}, {@code #
 * EOF}) and exemplars are skipped.
 */
public final class Scrape {

  /** A sample: {@code name{labels} value [timestamp]}. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)(\\s+\\S+)?$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

  private final List<Sample> samples;
  private final String text;

  private Scrape(List<Sample> samples, String text) {
    this.samples = samples;
    this.text = text;
  }

  /** Parses the text of a scrape. */
  public static Scrape parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      // An OpenMetrics exemplar ("value # {trace_id=...} 1.0 ts", on histograms and counters) is not part of the
      // sample.
      int exemplar = line.indexOf(" # {");
      Matcher sample = SAMPLE.matcher((exemplar < 0 ? line : line.substring(0, exemplar)).strip());
      if (!sample.matches()) {
        throw new IllegalArgumentException("not a sample line: " + line);
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (sample.group(3) != null) {
        Matcher label = LABEL.matcher(sample.group(3));
        while (label.find()) {
          labels.put(label.group(1), label.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
        }
      }
      samples.add(new Sample(sample.group(1), labels, Double.parseDouble(sample.group(4))));
    }
    return new Scrape(samples, text);
  }

  /** The samples named {@code name} whose labels include {@code labels} (name, value, ...). */
  public List<Sample> samples(String name, String... labels) {
    Map<String, String> wanted = new LinkedHashMap<>();
    for (int i = 0; i + 1 < labels.length; i += 2) {
      wanted.put(labels[i], labels[i + 1]);
    }
    return samples.stream()
        .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(wanted.entrySet()))
        .toList();
  }

  /** The value of the one sample {@link #samples} finds, if exactly one. */
  public OptionalDouble value(String name, String... labels) {
    List<Sample> found = samples(name, labels);
    return found.size() == 1 ? OptionalDouble.of(found.get(0).value()) : OptionalDouble.empty();
  }

  /** The text scraped, for assertion messages. */
  @Override
  public String toString() {
    return text;
  }
}
