package dev.cascade.systemtests.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert rules in deploy/monitoring/alerts.yaml (docs/operations.md, "Alerts") pass Prometheus' own checks: {@code
 * promtool check rules}, and {@code promtool test rules} on alerts.test.yaml, where each alert has a case that fires
 * and one that does not. promtool comes with Debian's {@code prometheus} package (deploy/local/install-test-deps.sh).
 */
class AlertRulesTest {

  private static final Path MONITORING = CodeConfig.repositoryRoot().resolve("deploy/monitoring");

  @Test
  void rulesPassPromtoolCheck() throws Exception {
    Run check = promtool(MONITORING, "check", "rules", "alerts.yaml");
    assertEquals(0, check.exitCode(), check.output());
  }

  @Test
  void everyAlertBehavesAsItsTestsSay() throws Exception {
    Run test = promtool(MONITORING, "test", "rules", "alerts.test.yaml");
    assertEquals(0, test.exitCode(), test.output());
  }

  @Test
  void everyAlertIsTestedFiringAndNotFiringAndDocumented() throws IOException {
    String operations = Files.readString(CodeConfig.repositoryRoot().resolve("docs/operations.md"));
    Set<String> fires = new HashSet<>();
    Set<String> silent = new HashSet<>();
    for (JsonNode test : DeploymentFiles.readYaml(MONITORING.resolve("alerts.test.yaml")).get(0).get("tests")) {
      for (JsonNode expectation : test.path("alert_rule_test")) {
        (expectation.path("exp_alerts").isEmpty() ? silent : fires).add(expectation.get("alertname").asText());
      }
    }
    List<String> problems = new ArrayList<>();
    for (JsonNode group : DeploymentFiles.readYaml(MONITORING.resolve("alerts.yaml")).get(0).get("groups")) {
      for (JsonNode rule : group.get("rules")) {
        String alert = rule.get("alert").asText();
        if (!fires.contains(alert) || !silent.contains(alert)) {
          problems.add(alert + " lacks a test where it fires or one where it does not");
        }
        JsonNode annotations = rule.path("annotations");
        for (String annotation : List.of("summary", "description", "runbook_url")) {
          if (annotations.path(annotation).asText().isBlank()) {
            problems.add(alert + " has no " + annotation);
          }
        }
        String anchor = "docs/operations.md#" + alert.toLowerCase(Locale.ROOT);
        if (!annotations.path("runbook_url").asText().equals(anchor)) {
          problems.add(alert + ": runbook_url is not " + anchor);
        }
        if (!operations.contains("\n#### " + alert + "\n")) {
          problems.add(alert + " has no section \"#### " + alert + "\" in docs/operations.md");
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  /** The tests can fail: with the DS alert's threshold moved ten times further, its firing case fails. */
  @Test
  void aChangedRuleFailsItsTest(@TempDir Path copy) throws Exception {
    Files.copy(MONITORING.resolve("alerts.test.yaml"), copy.resolve("alerts.test.yaml"));
    String rules = Files.readString(MONITORING.resolve("alerts.yaml"));
    assertTrue(rules.contains("> 86400"), "the DS alert's threshold moved; update this test");
    Files.writeString(copy.resolve("alerts.yaml"), rules.replace("> 86400", "> 864000"));
    Run test = promtool(copy, "test", "rules", "alerts.test.yaml");
    assertNotEquals(0, test.exitCode(), test.output());
    assertTrue(test.output().contains("CascadeKeyRollWaitingForDs"), test.output());
  }

  private record Run(int exitCode, String output) {}

  private static Run promtool(Path dir, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add("promtool");
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "promtool did not finish: " + output);
    return new Run(process.exitValue(), output);
  }
}
