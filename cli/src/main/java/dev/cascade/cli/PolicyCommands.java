package dev.cascade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code cascade policy list|show|reload}: the policies in the service's policy directory. */
@Command(name = "policy", description = "Inspect and reload policies.", mixinStandardHelpOptions = true)
final class PolicyCommands {

  @ParentCommand Main main;

  @Spec CommandSpec spec;

  @Command(name = "list", description = "List policies.", mixinStandardHelpOptions = true)
  int list(@Mixin OutputFormat format) {
    JsonNode res = main.client().get("policy/");
    if (format.printJson(spec.commandLine().getOut(), res)) {
      return 0;
    }
    for (JsonNode p : res.path("policies")) {
      spec.commandLine().getOut().println(p.asText());
    }
    // Broken policy files are not fatal for the others; say so as the reference's policy reload does.
    for (JsonNode e : res.path("errors")) {
      spec.commandLine().getErr().println("WARNING: " + e.asText());
    }
    return 0;
  }

  /**
   * Prints what the reload found in the reference's words ({@code - <name> added|removed|updated|unchanged}, then
   * {@code WARNING:} lines), and the zones that take new settings.
   */
  @Command(name = "reload", description = "Give zones the current settings of their policy's file.",
      mixinStandardHelpOptions = true)
  int reload() {
    JsonNode res = main.client().post("policy/reload", null);
    for (JsonNode change : res.path("changes")) {
      spec.commandLine().getOut().println("- " + change.path("name").asText() + " " + change.path("change").asText());
    }
    for (JsonNode zone : res.path("zonesUpdated")) {
      spec.commandLine().getOut().println("zone " + zone.asText() + " takes the new settings from its next version");
    }
    for (JsonNode w : res.path("warnings")) {
      spec.commandLine().getErr().println("WARNING: " + w.asText());
    }
    return 0;
  }

  @Command(name = "show", description = "Show the settings of a policy.", mixinStandardHelpOptions = true)
  int show(@Mixin OutputFormat format, @Parameters(paramLabel = "NAME") String name) {
    format.print(spec.commandLine().getOut(), main.client().get("policy/" + ApiClient.segment(name)),
        PolicyCommands::render);
    return 0;
  }

  /** The policy's settings, grouped as the policy file's tables. */
  static String render(JsonNode p) {
    StringBuilder b = new StringBuilder();
    b.append("name: ").append(p.path("name").asText()).append('\n');
    StringBuilder zones = new StringBuilder();
    for (JsonNode z : p.path("zones")) {
      zones.append(zones.length() == 0 ? "" : ", ").append(z.asText());
    }
    b.append("zones: ").append(zones.length() == 0 ? "<none>" : zones).append('\n');
    b.append('\n');
    b.append("loader:\n");
    b.append("  review: ").append(review(p, "unsigned")).append('\n');
    b.append("key manager:\n");
    b.append("  algorithm:    ").append(p.path("algorithm").asText()).append('\n');
    if (p.hasNonNull("hsmServerId")) {
      b.append("  HSM:          ").append(p.path("hsmServerId").asText()).append('\n');
    }
    b.append("  use CSK:      ").append(p.path("useCsk").asBoolean() ? "yes" : "no").append('\n');
    b.append("  KSK validity: ").append(p.path("kskValidity").asText()).append('\n');
    b.append("  ZSK validity: ").append(p.path("zskValidity").asText()).append('\n');
    b.append("  CSK validity: ").append(p.path("cskValidity").asText()).append('\n');
    b.append("  KSK roll:     ").append(p.path("kskRollType").asText()).append('\n');
    b.append("  ZSK roll:     ").append(p.path("zskRollType").asText()).append('\n');
    b.append("  key removal:  ").append(p.path("autoRemove").asText()).append('\n');
    b.append("  DNSKEY TTL:   ").append(p.path("dnskeyTtl").asText()).append('\n');
    // Shown only where the policy names servers; entries as written, with their ^<TSIG key> if any.
    servers(b, "  publication servers: ", p.path("publicationNameservers"));
    servers(b, "  parent servers:      ", p.path("parentNameservers"));
    b.append("signer:\n");
    b.append("  serial policy:              ").append(p.path("serialPolicy").asText()).append('\n');
    b.append("  signature inception offset: ").append(p.path("signatureInceptionOffset").asText()).append('\n');
    b.append("  signature lifetime:         ").append(p.path("signatureLifetime").asText()).append('\n');
    b.append("  signature remain time:      ").append(p.path("signatureRemainTime").asText()).append('\n');
    b.append("  signature refresh interval: ").append(p.path("signatureRefreshInterval").asText()).append('\n');
    String denial = p.path("denial").asText();
    b.append("  denial:                     ").append(denial);
    if (denial.equals("nsec3")) {
      String salt = p.path("nsec3Salt").asText();
      b.append(" (opt-out: ").append(p.path("nsec3OptOut").asBoolean() ? "yes" : "no")
          .append(", iterations: ").append(p.path("nsec3Iterations").asText())
          .append(", salt: ").append(salt.isEmpty() ? "-" : salt).append(')');
    }
    b.append('\n');
    b.append("  review: ").append(review(p, "signed")).append('\n');
    if (p.path("approveReSigning").asBoolean()) {
      b.append("  approve re-signing: yes\n");
    }
    if (p.path("fourEyes").asBoolean()) {
      b.append("  four-eyes: yes\n");
    }
    return b.toString();
  }

  private static void servers(StringBuilder b, String label, JsonNode list) {
    if (list.isArray() && !list.isEmpty()) {
      List<String> entries = new ArrayList<>();
      list.forEach(entry -> entries.add(entry.asText()));
      b.append(label).append(String.join(", ", entries)).append('\n');
    }
  }

  private static String review(JsonNode p, String gate) {
    JsonNode hook = p.get(gate + "ReviewHook");
    return StatusRenderer.reviewWording(p.path(gate + "Review").asText(),
        hook == null || hook.isNull() ? "" : hook.asText())
        + (p.path(gate + "OnReject").asText().equals("halt") ? " (on-reject = \"halt\")" : "");
  }
}
