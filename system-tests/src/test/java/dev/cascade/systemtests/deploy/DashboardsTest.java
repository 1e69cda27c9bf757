package dev.cascade.systemtests.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboards in deploy/monitoring/dashboards (docs/operations.md, "Dashboards") have what Grafana needs to
 * provision them, query only metrics the services export (the table in docs/operations.md, "Metrics"), and are valid
 * PromQL by Prometheus' own parser ({@code promtool check rules} on a rule file made of their queries).
 */
class DashboardsTest {

  private static final Path ROOT = CodeConfig.repositoryRoot();
  private static final Path DASHBOARDS = ROOT.resolve("deploy/monitoring/dashboards");
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The Prometheus datasource every query names: a template variable, so no datasource uid is hard-coded. */
  private static final String DATASOURCE = "${datasource}";

  /** A row of the metrics table: {@code | `name` | type | ...}. */
  private static final Pattern METRIC_ROW =
      Pattern.compile("^\\| `([a-z_:]+)` \\| (gauge|counter|histogram) \\|", Pattern.MULTILINE);
  /** Suffixes of the series of a Prometheus histogram (Prometheus docs, "Metric types"). */
  private static final List<String> HISTOGRAM_SERIES = List.of("_bucket", "_sum", "_count");
  /** The Kafka client's own metrics, bound by Quarkus' Micrometer Kafka binder: too many to list in the table. */
  private static final String KAFKA_CONSUMER = "kafka_consumer_";
  /** Prometheus' own series for each scrape target. */
  private static final String UP = "up";

  /** PromQL's keywords that are not metric names (Prometheus docs, "Operators"; inf and nan are number literals). */
  private static final Set<String> KEYWORDS =
      Set.of("and", "or", "unless", "bool", "offset", "group_left", "group_right", "inf", "nan");
  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
  private static final Pattern LABEL_MATCHERS = Pattern.compile("\\{[^}]*}");
  private static final Pattern RANGE = Pattern.compile("\\[[^\\]]*]");
  private static final Pattern LABEL_LIST =
      Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)}?");
  /** An identifier not inside another token and, taken whole (possessive), not followed by "(": not a function. */
  private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w:.])([a-zA-Z_:][a-zA-Z0-9_:]*+)(?!\\s*\\()");
  private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,");
  /** Grafana's own variables a query may use (Grafana docs, "Global variables"). */
  private static final Set<String> GRAFANA_VARIABLES = Set.of("__rate_interval", "__interval", "__range");

  @Test
  void everyDashboardHasWhatGrafanaNeeds() throws IOException {
    Map<String, JsonNode> dashboards = dashboards(DASHBOARDS);
    assertEquals(Set.of("cascade-overview.json", "cascade-zone.json", "cascade-expiry.json",
        "cascade-publisher.json"), dashboards.keySet());
    List<String> problems = new ArrayList<>();
    Set<String> uids = new HashSet<>();
    dashboards.forEach((file, dashboard) -> {
      if (dashboard.path("title").asText().isBlank()) {
        problems.add(file + " has no title");
      }
      String uid = dashboard.path("uid").asText();
      // Grafana refuses a uid longer than 40 characters.
      if (uid.isBlank() || uid.length() > 40 || !uids.add(uid)) {
        problems.add(file + ": uid \"" + uid + "\" is missing, longer than 40 characters or not unique");
      }
      Set<String> variables = new TreeSet<>(GRAFANA_VARIABLES);
      boolean datasourceVariable = false;
      for (JsonNode variable : dashboard.path("templating").path("list")) {
        variables.add(variable.path("name").asText());
        datasourceVariable |= variable.path("name").asText().equals("datasource")
            && variable.path("type").asText().equals("datasource")
            && variable.path("query").asText().equals("prometheus");
        if (variable.path("type").asText().equals("query")) {
          checkDatasource(file + ": variable " + variable.path("name").asText(), variable, problems);
        }
      }
      if (!datasourceVariable) {
        problems.add(file + " has no variable \"datasource\" of type datasource for prometheus");
      }
      if (dashboard.path("panels").isEmpty()) {
        problems.add(file + " has no panels");
      }
      Set<Integer> ids = new HashSet<>();
      for (JsonNode panel : dashboard.path("panels")) {
        String where = file + ": panel \"" + panel.path("title").asText() + "\"";
        if (panel.path("title").asText().isBlank() || panel.path("type").asText().isBlank()
            || !panel.path("gridPos").has("w") || !ids.add(panel.path("id").asInt())) {
          problems.add(where + " lacks a title, a type, a gridPos or a unique id");
        }
        checkDatasource(where, panel, problems);
        if (panel.path("targets").isEmpty()) {
          problems.add(where + " has no targets");
        }
        Set<String> refIds = new HashSet<>();
        for (JsonNode target : panel.path("targets")) {
          checkDatasource(where, target, problems);
          if (!refIds.add(target.path("refId").asText()) || target.path("expr").asText().isBlank()) {
            problems.add(where + ": a target has no expr or no unique refId");
          }
          Matcher used = VARIABLE.matcher(target.path("expr").asText());
          while (used.find()) {
            if (!variables.contains(used.group(1))) {
              problems.add(where + " uses $" + used.group(1) + ", which the dashboard does not define");
            }
          }
        }
      }
    });
    assertEquals(List.of(), problems);
  }

  @Test
  void everyQueryUsesOnlyMetricsTheServicesExport() throws IOException {
    assertEquals(List.of(), unknownMetrics(dashboards(DASHBOARDS), exportedMetrics()));
  }

  /** The check can fail: one metric name misspelt in a copy of a dashboard is reported, by file and name. */
  @Test
  void aMisspeltMetricIsReported(@TempDir Path copy) throws IOException {
    String overview = Files.readString(DASHBOARDS.resolve("cascade-overview.json"));
    assertTrue(overview.contains("cascade_stage_records_total"), "the overview no longer shows records; update this test");
    Files.writeString(copy.resolve("cascade-overview.json"),
        overview.replace("cascade_stage_records_total", "cascade_stage_record_total"));

    List<String> problems = unknownMetrics(dashboards(copy), exportedMetrics());

    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("cascade-overview.json") && problems.get(0).contains("cascade_stage_record_total"),
        problems.toString());
  }

  @Test
  void metricNamesAreTheSelectorsOfAQuery() {
    assertEquals(Set.of("cascade_stage_duration_seconds_bucket", "up", "x:y"),
        metricNames("histogram_quantile(0.95, sum by (le, stage) (rate(cascade_stage_duration_seconds_bucket"
            + "{stage=\"a{b}\", zone=~\"$zone\"}[$__rate_interval]))) > bool on (job) group_left (instance) up"
            + " or x:y offset 5m and time() - 1e3"));
  }

  /**
   * Every query parses in Prometheus' own parser: each becomes a recording rule, with the dashboard's variables given
   * values, and {@code promtool check rules} (Debian's prometheus package, as for {@link AlertRulesTest}) parses them.
   */
  @Test
  void everyQueryIsValidPromql(@TempDir Path dir) throws Exception {
    StringBuilder rules = new StringBuilder("groups:\n  - name: dashboards\n    rules:\n");
    int n = 0;
    for (Map.Entry<String, List<String>> dashboard : queries(dashboards(DASHBOARDS)).entrySet()) {
      for (String expr : dashboard.getValue()) {
        String concrete = expr.replace("$__rate_interval", "5m").replace("$zone", "example.test.");
        rules.append("      - record: dashboard:query:").append(n++).append('\n')
            .append("        expr: ").append(JSON.writeValueAsString(concrete)).append('\n');
      }
    }
    assertTrue(n > 20, "only " + n + " queries");
    Files.writeString(dir.resolve("queries.yaml"), rules);
    Process process = new ProcessBuilder("promtool", "check", "rules", "queries.yaml").directory(dir.toFile())
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "promtool did not finish: " + output);
    assertEquals(0, process.exitValue(), output + "\n" + rules);
  }

  /** The metric names of docs/operations.md's table, with a histogram's series. */
  private static Set<String> exportedMetrics() throws IOException {
    Set<String> exported = new TreeSet<>();
    Matcher row = METRIC_ROW.matcher(Files.readString(ROOT.resolve("docs/operations.md")));
    while (row.find()) {
      if (row.group(2).equals("histogram")) {
        HISTOGRAM_SERIES.forEach(suffix -> exported.add(row.group(1) + suffix));
      } else {
        exported.add(row.group(1));
      }
    }
    assertTrue(exported.contains("cascade_stage_duration_seconds_bucket"), "the metrics table was not found");
    return exported;
  }

  private static List<String> unknownMetrics(Map<String, JsonNode> dashboards, Set<String> exported) {
    List<String> problems = new ArrayList<>();
    queries(dashboards).forEach((file, exprs) -> {
      for (String expr : exprs) {
        for (String metric : metricNames(expr)) {
          if (!exported.contains(metric) && !metric.equals(UP) && !metric.startsWith(KAFKA_CONSUMER)) {
            problems.add(file + ": " + metric + " is not a metric the services export (docs/operations.md, "
                + "\"Metrics\"), in " + expr);
          }
        }
      }
    });
    dashboards.forEach((file, dashboard) -> {
      for (JsonNode variable : dashboard.path("templating").path("list")) {
        Matcher labelValues = LABEL_VALUES.matcher(variable.path("definition").asText());
        if (labelValues.find() && !exported.contains(labelValues.group(1))) {
          problems.add(file + ": variable " + variable.path("name").asText() + " reads " + labelValues.group(1)
              + ", which is not a metric the services export");
        }
      }
    });
    return problems;
  }

  /**
   * The metric names a PromQL expression selects: what is left as identifiers once strings, label matchers, ranges,
   * label lists of by/without/on/ignoring/group_*, variables and function calls are taken out.
   */
  static Set<String> metricNames(String expr) {
    String bare = STRING.matcher(expr).replaceAll("\"\"");
    bare = LABEL_MATCHERS.matcher(bare).replaceAll(" ");
    bare = RANGE.matcher(bare).replaceAll(" ");
    bare = LABEL_LIST.matcher(bare).replaceAll(" ");
    bare = VARIABLE.matcher(bare).replaceAll(" ");
    Set<String> names = new TreeSet<>();
    Matcher identifier = IDENTIFIER.matcher(bare);
    while (identifier.find()) {
      if (!KEYWORDS.contains(identifier.group(1).toLowerCase(Locale.ROOT))) {
        names.add(identifier.group(1));
      }
    }
    return names;
  }

  private static void checkDatasource(String where, JsonNode node, List<String> problems) {
    JsonNode datasource = node.path("datasource");
    if (!datasource.path("type").asText().equals("prometheus") || !datasource.path("uid").asText().equals(DATASOURCE)) {
      problems.add(where + ": datasource is not {type: prometheus, uid: " + DATASOURCE + "}: " + datasource);
    }
  }

  /** Every panel query of each dashboard, by file. */
  private static Map<String, List<String>> queries(Map<String, JsonNode> dashboards) {
    Map<String, List<String>> queries = new TreeMap<>();
    dashboards.forEach((file, dashboard) -> {
      List<String> exprs = new ArrayList<>();
      for (JsonNode panel : dashboard.path("panels")) {
        panel.path("targets").forEach(target -> exprs.add(target.path("expr").asText()));
      }
      queries.put(file, exprs);
    });
    return queries;
  }

  private static Map<String, JsonNode> dashboards(Path dir) throws IOException {
    Map<String, JsonNode> dashboards = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        dashboards.put(file.getFileName().toString(), JSON.readTree(file.toFile()));
      }
    }
    return dashboards;
  }
}
