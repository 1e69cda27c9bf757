package dev.cascade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cascade.dnssec.compact.CompactRecords;
import dev.cascade.testinfra.Services;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * {@code cascade audit history|show|verify} against the in-JVM broker and registry (test-infra), on event sequences
 * written as the services write them ({@link AuditChain}): the commands read the topics alone.
 */
class AuditCommandsTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", Services.kafkaBootstrap(),
        "APICURIO_REGISTRY_URL", Services.registryUrl(), "CASCADE_DAEMON", "127.0.0.1:1");
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), env, Clock.systemUTC());
  }

  private static String uniqueZone() {
    return "audit-" + UUID.randomUUID().toString().substring(0, 8) + ".test.";
  }

  @Test
  void historyListsEveryVersionAndReviewDecisionWithItsReviewerAndItsCausationChain() throws Exception {
    String zone = uniqueZone();
    try (AuditChain chain = new AuditChain(zone)) {
      chain.added();
      chain.publish(AuditChain.zoneText(zone, 2026120801), UnaryOperator.identity(), false);
      chain.publish(AuditChain.zoneText(zone, 2026120802), UnaryOperator.identity(), false);
    }

    assertEquals(0, run("audit", "history", zone), err.toString());
    String text = out.toString();
    for (long serial : new long[] {2026120801L, 2026120802L}) {
      assertTrue(text.contains("ZoneVersionLoaded serial " + serial), text);
      assertTrue(text.contains("ZoneVersionSigned serial " + serial), text);
      assertTrue(text.contains("ZoneVersionPublished serial " + serial), text);
    }
    assertTrue(text.contains("ZoneAdded: policy default"), text);
    assertTrue(text.contains("KeySetChanged: KSK "), text);
    assertEquals(2, count(text, ": UNSIGNED APPROVED by operator"), text);
    assertEquals(2, count(text, ": SIGNED APPROVED by operator"), text);

    // Bootstrap and registry given as options rather than by the environment; the JSON form names every cause.
    assertEquals(0, run("audit", "history", zone, "--format", "json", "--bootstrap-servers",
        Services.kafkaBootstrap(), "--registry-url", Services.registryUrl()), err.toString());
    JsonNode history = new ObjectMapper().readTree(out.toString());
    assertEquals(zone, history.path("zone").asText());
    List<String> types = new ArrayList<>();
    history.path("events").forEach(e -> types.add(e.path("type").asText()));
    assertEquals(List.of("ZoneAdded", "KeySetChanged",
        "ZoneVersionLoaded", "ZoneVersionReviewed", "ZoneVersionSigned", "ZoneVersionReviewed", "ZoneVersionPublished",
        "ZoneVersionLoaded", "ZoneVersionReviewed", "ZoneVersionSigned", "ZoneVersionReviewed", "ZoneVersionPublished"),
        types);
    JsonNode published = history.path("events").get(types.size() - 1);
    List<String> chain = new ArrayList<>();
    published.path("causationChain").forEach(c -> chain.add(c.path("type").asText()));
    assertEquals(List.of("ZoneVersionReviewed", "ZoneVersionSigned", "ZoneVersionReviewed", "ZoneVersionLoaded",
        "ZoneAdded"), chain);
    assertEquals(published.path("causationId").asText(),
        published.path("causationChain").get(0).path("eventId").asText());
  }

  @Test
  void historyOfAZoneTheTopicsDoNotNameFails() {
    assertEquals(1, run("audit", "history", uniqueZone()));
    assertTrue(err.toString().contains("the topics hold no fact about"), err.toString());
  }

  @Test
  void showPrintsThePublishedZoneWhichMatchesItsDigestAndValidatesAndRefusesATamperedRecord() throws Exception {
    String zone = uniqueZone();
    List<Record> signed;
    try (AuditChain chain = new AuditChain(zone)) {
      chain.added();
      signed = chain.publish(AuditChain.zoneText(zone, 2026120801), UnaryOperator.identity(), false);
      // Serial 2's content on the topic: one address changed after signing, under the digest of what was signed.
      chain.publish(AuditChain.zoneText(zone, 2026120802), AuditCommandsTest::changeAnAddress, true);
    }

    assertEquals(0, run("audit", "show", zone, "2026120801"), err.toString());
    Path file = Files.createTempFile("audit-show", ".zone");
    Files.writeString(file, out.toString(), StandardCharsets.UTF_8);
    List<Record> shown = new ArrayList<>();
    try (Master master = new Master(file.toString())) {
      for (Record r = master.nextRecord(); r != null; r = master.nextRecord()) {
        shown.add(r);
      }
    }
    assertEquals(CompactRecords.of(signed).digest(), CompactRecords.of(shown).digest());
    String verified = tool("dnssec-verify", "-o", zone, file.toString());
    assertTrue(verified.contains("Zone fully signed"), verified);

    assertEquals(1, run("audit", "show", zone, "2026120802"));
    assertTrue(err.toString().contains("content does not match its digest"), err.toString());
    assertEquals("", out.toString());
    assertEquals(1, run("audit", "show", zone, "2026120803"));
    assertTrue(err.toString().contains("with serial 2026120803 was published"), err.toString());
  }

  @Test
  void verifyPassesAGoodChainAndFailsAVersionWithABrokenRrsig() throws Exception {
    String good = uniqueZone();
    String broken = uniqueZone();
    try (AuditChain chain = new AuditChain(good)) {
      chain.added();
      chain.publish(AuditChain.zoneText(good, 2026120801), UnaryOperator.identity(), false);
      chain.publish(AuditChain.zoneText(good, 2026120802), UnaryOperator.identity(), false);
    }
    try (AuditChain chain = new AuditChain(broken)) {
      chain.added();
      chain.publish(AuditChain.zoneText(broken, 2026120801), UnaryOperator.identity(), false);
      // Its digest is that of what was written: only the verification gate can find the wrong signature.
      chain.publish(AuditChain.zoneText(broken, 2026120802), AuditChain::brokenRrsig, false);
    }

    assertEquals(0, run("audit", "verify", good), err.toString());
    String text = out.toString();
    assertTrue(text.contains("OK    " + good + " serial 2026120801 version "), text);
    assertTrue(text.contains("OK    " + good + " serial 2026120802 version "), text);
    assertTrue(text.endsWith("2 published versions verified, 0 failed\n"), text);

    assertEquals(1, run("audit", "verify", broken, good, "--format", "json"));
    JsonNode answer = new ObjectMapper().readTree(out.toString());
    assertEquals(4, answer.path("verified").asInt());
    assertEquals(1, answer.path("failed").asInt());
    for (JsonNode version : answer.path("versions")) {
      boolean bad = version.path("zone").asText().equals(broken) && version.path("serial").asLong() == 2026120802L;
      assertEquals(!bad, version.path("ok").asBoolean(), version.toString());
      if (bad) {
        String problems = version.path("problems").toString();
        assertTrue(problems.contains("verification gate") && problems.contains("www." + broken), problems);
      }
    }
  }

  /** The signed records with www's address changed: a record altered after signing. */
  private static List<Record> changeAnAddress(List<Record> records) {
    List<Record> out = new ArrayList<>();
    for (Record r : records) {
      if (r.getType() == Type.A && r.getName().getLabelString(0).equals("www")) {
        try {
          out.add(new ARecord(r.getName(), r.getDClass(), r.getTTL(),
              java.net.InetAddress.getByName("192.0.2.99")));
        } catch (java.net.UnknownHostException e) {
          throw new IllegalStateException(e);
        }
      } else {
        out.add(r);
      }
    }
    return out;
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      n++;
    }
    return n;
  }

  /** Runs an installed validator and returns its output; fails the test on a non-zero exit. */
  private static String tool(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), String.join(" ", command) + ":\n" + output);
    return output;
  }
}
