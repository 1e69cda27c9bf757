package dev.cascade.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cascade.audit.AuditEvent;
import dev.cascade.audit.EventLog;
import dev.cascade.audit.VersionAudit;
import dev.cascade.audit.VersionAudit.PublishedVersion;
import dev.cascade.audit.VersionAudit.Verdict;
import dev.cascade.audit.ZoneHistory;
import dev.cascade.content.ContentException;
import dev.cascade.service.ZoneApex;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code cascade audit}: replay for audit (issue 11 item 4). {@code history}, {@code show} and {@code verify} read the
 * topics themselves, with nothing but Kafka and the schema registry (module {@code audit}): no service, no database,
 * so they answer even when every service is down or its tables are lost.
 */
@Command(name = "audit", description = "Replay the event log for audit.", mixinStandardHelpOptions = true,
    subcommands = {AuditCommands.History.class, AuditCommands.Show.class, AuditCommands.Verify.class})
final class AuditCommands {

  @ParentCommand Main main;

  /** Where the topics are: the Kafka brokers and the schema registry. */
  static final class Log {

    /** The local stack's broker (deploy/local/stack.sh, {@code KAFKA_PORT}). */
    static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";
    /** The local stack's registry, v2 API (deploy/local/stack.sh, {@code REGISTRY_URL}). */
    static final String DEFAULT_REGISTRY = "http://127.0.0.1:8089/apis/registry/v2";

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
        description = "Kafka brokers (default: $KAFKA_BOOTSTRAP_SERVERS or " + DEFAULT_BOOTSTRAP + ").")
    String bootstrapServers;

    @Option(names = "--registry-url", paramLabel = "URL",
        description = "Schema registry (default: $APICURIO_REGISTRY_URL or " + DEFAULT_REGISTRY + ").")
    String registryUrl;

    String bootstrap(Map<String, String> env) {
      return bootstrapServers != null ? bootstrapServers : env.getOrDefault("KAFKA_BOOTSTRAP_SERVERS", DEFAULT_BOOTSTRAP);
    }

    String registry(Map<String, String> env) {
      return registryUrl != null ? registryUrl : env.getOrDefault("APICURIO_REGISTRY_URL", DEFAULT_REGISTRY);
    }

    EventLog read(Map<String, String> env) {
      return EventLog.read(bootstrap(env), registry(env));
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** {@code cascade audit history <zone>}: every fact about the zone, with its causation chain. */
  @Command(name = "history", mixinStandardHelpOptions = true,
      description = "Rebuild a zone's history from the topics alone: every version loaded, signed and published, every"
          + " review decision and its reviewer, every key set and publication, each with the events that caused it.")
  static final class History implements Callable<Integer> {

    @ParentCommand AuditCommands audit;
    @Spec CommandSpec spec;
    @Mixin Log log;
    @Mixin OutputFormat format;

    @Parameters(paramLabel = "ZONE", description = "The zone's apex.")
    String zone;

    @Override
    public Integer call() {
      EventLog events = log.read(audit.main.env());
      ZoneHistory history = ZoneHistory.of(events, zone);
      if (history.entries().isEmpty()) {
        throw new CliException("the topics hold no fact about " + ZoneApex.canonical(zone));
      }
      ObjectNode answer = JSON.createObjectNode().put("zone", history.zone());
      ArrayNode entries = answer.putArray("events");
      history.entries().forEach(e -> {
        ObjectNode entry = event(e.event());
        ArrayNode chain = entry.putArray("causationChain");
        e.causes().forEach(c -> chain.addObject().put("type", c.type()).put("eventId", c.eventId())
            .put("topic", c.topic()));
        entries.add(entry);
      });
      format.print(spec.commandLine().getOut(), answer, a -> render(history));
      return 0;
    }

    /**
     * One fact a line: time, type, serial, version, what it says, then its event id and its causes (nearest first),
     * so that the question "why was this version published?" is answered by reading down the chain.
     */
    static String render(ZoneHistory history) {
      StringBuilder b = new StringBuilder("History of ").append(history.zone()).append(" (from the topics):\n");
      for (ZoneHistory.Entry entry : history.entries()) {
        AuditEvent e = entry.event();
        b.append(e.occurredAt()).append("  ").append(e.type());
        if (e.serial() != null) {
          b.append(" serial ").append(e.serial());
        }
        if (e.versionId() != null) {
          b.append(" version ").append(e.versionId());
        }
        if (!e.detail().isEmpty()) {
          b.append(": ").append(e.detail());
        }
        b.append("\n    event ").append(e.eventId()).append(" by ").append(e.producer()).append(", ")
            .append(e.topic()).append('/').append(e.partition()).append('@').append(e.offset()).append('\n');
        if (!entry.causes().isEmpty()) {
          b.append("    caused by ");
          for (int i = 0; i < entry.causes().size(); i++) {
            AuditEvent c = entry.causes().get(i);
            b.append(i == 0 ? "" : " <- ").append(c.type()).append(' ').append(c.eventId());
          }
          b.append('\n');
        } else if (e.causationId() != null) {
          b.append("    caused by ").append(e.causationId()).append(" (not a fact on these topics)\n");
        }
      }
      return b.toString();
    }
  }

  private static ObjectNode event(AuditEvent e) {
    ObjectNode node = JSON.createObjectNode()
        .put("occurredAt", e.occurredAt().toString())
        .put("type", e.type())
        .put("eventId", e.eventId())
        .put("causationId", e.causationId())
        .put("producer", e.producer())
        .put("topic", e.topic())
        .put("partition", e.partition())
        .put("offset", e.offset())
        .put("versionId", e.versionId())
        .put("detail", e.detail());
    if (e.serial() != null) {
      node.put("serial", e.serial());
    }
    return node;
  }

  /** {@code cascade audit show <zone> <serial>}: the published version, read back and checked. */
  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "Print a published version of a zone, read back from its content topic and checked against its"
          + " digest.")
  static final class Show implements Callable<Integer> {

    @ParentCommand AuditCommands audit;
    @Spec CommandSpec spec;
    @Mixin Log log;

    @Parameters(index = "0", paramLabel = "ZONE", description = "The zone's apex.")
    String zone;

    @Parameters(index = "1", paramLabel = "SERIAL", description = "The published (signed) SOA serial.")
    long serial;

    @Override
    public Integer call() {
      Map<String, String> env = audit.main.env();
      try (VersionAudit versions = new VersionAudit(log.read(env), log.bootstrap(env), log.registry(env))) {
        List<PublishedVersion> found = versions.published(zone, serial);
        if (found.isEmpty()) {
          throw new CliException("no version of " + ZoneApex.canonical(zone) + " with serial " + serial
              + " was published");
        }
        // A serial published twice (a serial policy that repeats one) names the latest version.
        String text;
        try {
          text = versions.text(found.get(found.size() - 1));
        } catch (ContentException e) {
          throw new CliException("the published version cannot be trusted: " + e.getMessage(), e);
        }
        spec.commandLine().getOut().print(text);
      }
      return 0;
    }
  }

  /** {@code cascade audit verify [zone...]}: every published version, checked again. */
  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Read back every published version, check its digest, and run the verification gate again on it"
          + " with the key set it was signed with; one line per version, then a summary. Exits 1 on any failure.")
  static final class Verify implements Callable<Integer> {

    @ParentCommand AuditCommands audit;
    @Spec CommandSpec spec;
    @Mixin Log log;
    @Mixin OutputFormat format;

    @Parameters(arity = "0..*", paramLabel = "ZONE", description = "Only these zones (default: every zone).")
    List<String> zones = List.of();

    @Override
    public Integer call() {
      Map<String, String> env = audit.main.env();
      List<String> only = zones.stream().map(ZoneApex::canonical).toList();
      ObjectNode answer = JSON.createObjectNode();
      ArrayNode results = answer.putArray("versions");
      int failed = 0;
      PrintWriter out = spec.commandLine().getOut();
      try (VersionAudit versions = new VersionAudit(log.read(env), log.bootstrap(env), log.registry(env))) {
        for (PublishedVersion version : versions.published()) {
          if (!only.isEmpty() && !only.contains(version.zone())) {
            continue;
          }
          Verdict verdict = versions.verify(version);
          failed += verdict.ok() ? 0 : 1;
          ObjectNode result = results.addObject().put("zone", version.zone())
              .put("serial", version.signedSerial()).put("versionId", version.versionId())
              .put("records", verdict.recordCount()).put("ok", verdict.ok());
          verdict.problems().forEach(result.putArray("problems")::add);
          if (!format.json()) {
            out.println(line(verdict));
          }
        }
      }
      answer.put("verified", results.size()).put("failed", failed);
      if (!format.printJson(out, answer)) {
        out.println(results.size() + " published version" + (results.size() == 1 ? "" : "s") + " verified, "
            + failed + " failed");
      }
      return failed == 0 ? 0 : 1;
    }

    static String line(Verdict verdict) {
      PublishedVersion v = verdict.version();
      String head = (verdict.ok() ? "OK    " : "FAIL  ") + v.zone() + " serial " + v.signedSerial() + " version "
          + v.versionId();
      return verdict.ok() ? head + ": " + verdict.recordCount() + " records, digest and verification gate passed"
          : head + ": " + String.join("; ", verdict.problems());
    }
  }
}
