package dev.cascade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs whole command lines against an in-test HTTP server that answers like the operator API. */
class CliTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T03:00:00Z"), ZoneOffset.UTC);

  /** What the fake API answers per "METHOD path": status code and body. */
  private final Map<String, Map.Entry<Integer, String>> answers = new ConcurrentHashMap<>();
  /** Requests received, as "METHOD path body". */
  private final List<String> requests = new CopyOnWriteArrayList<>();
  /** Per request, its Authorization and X-Cascade-Client headers, space-separated ("null" for none). */
  private final List<String> credentials = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private String address;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String key = exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath();
      requests.add(key + " " + body);
      credentials.add(exchange.getRequestHeaders().getFirst("Authorization") + " "
          + exchange.getRequestHeaders().getFirst("X-Cascade-Client"));
      Map.Entry<Integer, String> answer = answers.getOrDefault(key, Map.entry(404, "{\"error\":\"No such resource\"}"));
      byte[] bytes = answer.getValue().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(answer.getKey(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        exchange.getResponseBody().write(bytes);
      }
      exchange.close();
    });
    server.start();
    address = "127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private int run(Map<String, String> env, String... args) {
    return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), env, CLOCK);
  }

  private int run(String... args) {
    return run(Map.of("CASCADE_DAEMON", address), args);
  }

  @Test
  void theTokenComesFromTheOptionTheEnvironmentOrAFile(@TempDir Path home) throws Exception {
    answers.put("GET /zone/", Map.entry(200, "{\"zones\":[]}"));
    Path file = home.resolve("api-token");
    Files.writeString(file, "from-file\n");
    Path xdg = home.resolve(".config/cascade/token");
    Files.createDirectories(xdg.getParent());
    Files.writeString(xdg, "from-home\n");

    assertEquals(0, run(Map.of("CASCADE_DAEMON", address), "zone", "list"), err.toString());
    assertEquals(0, run(Map.of("CASCADE_DAEMON", address, "HOME", home.toString()), "zone", "list"));
    assertEquals(0, run(Map.of("CASCADE_DAEMON", address, "HOME", home.toString(), "CASCADE_TOKEN_FILE",
        file.toString()), "zone", "list"));
    assertEquals(0, run(Map.of("CASCADE_DAEMON", address, "CASCADE_TOKEN_FILE", file.toString(), "CASCADE_TOKEN",
        "from-env"), "zone", "list"));
    assertEquals(0, run(Map.of("CASCADE_DAEMON", address, "CASCADE_TOKEN", "from-env"), "--token", "from-option",
        "zone", "list"));
    assertEquals(List.of("null cascade-cli", "Bearer from-home cascade-cli", "Bearer from-file cascade-cli",
        "Bearer from-env cascade-cli", "Bearer from-option cascade-cli"), credentials);

    Files.writeString(file, "");
    assertEquals(1, run(Map.of("CASCADE_DAEMON", address, "CASCADE_TOKEN_FILE", file.toString()), "zone", "list"));
    assertTrue(err.toString().contains("ERROR: the token file " + file + " is empty"), err.toString());
  }

  @Test
  void zoneAddSendsTheAbsoluteSourcePath() throws Exception {
    answers.put("POST /zone/add", Map.entry(200, "{\"name\":\"example.com.\",\"status\":\"scheduled\"}"));
    int status = run("zone", "add", "example.com", "--source", "zones/../example.zone", "--policy", "default");
    assertEquals(0, status, err.toString());
    assertEquals("Zone example.com. scheduled for loading, use 'cascade zone status example.com.' to see the status.\n",
        out.toString());
    String request = requests.get(0);
    JsonNode body = new ObjectMapper().readTree(request.substring("POST /zone/add ".length()));
    assertEquals("example.com", body.get("name").asText());
    assertEquals("default", body.get("policy").asText());
    assertEquals(Path.of("example.zone").toAbsolutePath().toString(), body.get("source").asText());
  }

  /** BIND key pairs from dnssec-keygen, shared with dnssec-core's tests. */
  private static final Path BIND_KEYS = Path.of("../dnssec-core/src/test/resources/bind-keys");

  @Test
  void zoneAddSendsTheImportedKeyFilesTextWithTheirRoles() throws Exception {
    answers.put("POST /zone/add", Map.entry(200, "{\"name\":\"example.\",\"status\":\"scheduled\"}"));
    int status = run("zone", "add", "example.", "--source", "example.zone", "--policy", "default",
        "--import-ksk-file", BIND_KEYS.resolve("Kexample.+013+17905.private").toString(),
        "--import-zsk-file", BIND_KEYS.resolve("Kexample.+013+41581").toString());
    assertEquals(0, status, err.toString());
    JsonNode body = new ObjectMapper().readTree(requests.get(0).substring("POST /zone/add ".length()));
    JsonNode imports = body.get("keyImports");
    assertEquals(2, imports.size());
    assertEquals("ksk", imports.get(0).get("type").asText());
    assertEquals("Kexample.+013+17905.key", imports.get(0).get("publicKeyFile").asText());
    assertEquals(Files.readString(BIND_KEYS.resolve("Kexample.+013+17905.key")),
        imports.get(0).get("publicKey").asText());
    assertEquals(Files.readString(BIND_KEYS.resolve("Kexample.+013+17905.private")),
        imports.get(0).get("privateKey").asText());
    assertEquals("zsk", imports.get(1).get("type").asText());
    assertEquals("Kexample.+013+41581.private", imports.get(1).get("privateKeyFile").asText());
  }

  @Test
  void zoneAddSendsAPublicKeyWithoutAnyPrivateKey() throws Exception {
    answers.put("POST /zone/add", Map.entry(200, "{\"name\":\"example.\",\"status\":\"scheduled\"}"));
    int status = run("zone", "add", "example.", "--source", "example.zone", "--policy", "default",
        "--import-public-key", BIND_KEYS.resolve("Kexample.+013+48391.private").toString());
    assertEquals(0, status, err.toString());
    JsonNode imports = new ObjectMapper().readTree(requests.get(0).substring("POST /zone/add ".length()))
        .get("keyImports");
    assertEquals(1, imports.size());
    assertEquals("public", imports.get(0).get("type").asText());
    assertEquals("Kexample.+013+48391.key", imports.get(0).get("publicKeyFile").asText());
    assertEquals(Files.readString(BIND_KEYS.resolve("Kexample.+013+48391.key")),
        imports.get(0).get("publicKey").asText());
    assertTrue(imports.get(0).get("privateKey") == null, "the private key file is not read");
  }

  @Test
  void zoneAddWithoutImportsSendsNoKeyImports() throws Exception {
    answers.put("POST /zone/add", Map.entry(200, "{\"name\":\"example.\",\"status\":\"scheduled\"}"));
    assertEquals(0, run("zone", "add", "example.", "--source", "example.zone", "--policy", "default"));
    JsonNode body = new ObjectMapper().readTree(requests.get(0).substring("POST /zone/add ".length()));
    assertTrue(body.get("keyImports") == null);
  }

  @Test
  void aMissingKeyFileIsAnErrorAndNothingIsSent() {
    int status = run("zone", "add", "example.", "--source", "example.zone", "--policy", "default",
        "--import-csk-file", "/nonexistent/Kexample.+013+00001.key");
    assertEquals(1, status);
    assertTrue(err.toString().contains("cannot read key file /nonexistent/Kexample.+013+00001.key"), err.toString());
    assertTrue(requests.isEmpty());
  }

  @Test
  void privateKeysGoOverPlainHttpOnlyToLoopback() {
    ZoneCommands.requireConfidentialChannel(URI.create("http://127.0.0.1:4539/"));
    ZoneCommands.requireConfidentialChannel(URI.create("http://[::1]:4539/"));
    ZoneCommands.requireConfidentialChannel(URI.create("https://192.0.2.1:4539/"));
    CliException e = assertThrows(CliException.class,
        () -> ZoneCommands.requireConfidentialChannel(URI.create("http://192.0.2.1:4539/")));
    assertTrue(e.getMessage().contains("refusing to send private keys over plain HTTP to 192.0.2.1"));
  }

  @Test
  void apiErrorIsPrintedAsErrorAndExitsOne() {
    answers.put("POST /zone/example.com./unsigned/5/approve",
        Map.entry(409, "{\"error\":\"example.com. is not being reviewed right now\"}"));
    int status = run("zone", "approve", "--unsigned", "example.com.", "5");
    assertEquals(1, status);
    assertEquals("ERROR: example.com. is not being reviewed right now\n", err.toString());
    assertEquals("", out.toString());
  }

  @Test
  void unknownZoneIsAnError() {
    answers.put("GET /zone/nope./status", Map.entry(404, "{\"error\":\"No such zone\"}"));
    assertEquals(1, run("zone", "status", "nope."));
    assertEquals("ERROR: No such zone\n", err.toString());
  }

  @Test
  void errorWithoutJsonBodyNamesTheHttpStatus() {
    answers.put("GET /zone/", Map.entry(500, "oops"));
    assertEquals(1, run("zone", "list"));
    assertEquals("ERROR: the operator API answered HTTP 500\n", err.toString());
  }

  @Test
  void unreachableServerIsAnError() throws IOException {
    int freePort;
    try (ServerSocket s = new ServerSocket(0)) {
      freePort = s.getLocalPort();
    }
    assertEquals(1, run(Map.of(), "-s", "127.0.0.1:" + freePort, "health"));
    assertTrue(err.toString().startsWith("ERROR: cannot reach the Cascade operator API at http://127.0.0.1:" + freePort),
        err.toString());
  }

  @Test
  void serverOptionOverridesTheEnvironment() {
    answers.put("GET /health", Map.entry(200, "{\"healthy\":true}"));
    assertEquals(0, run(Map.of("CASCADE_DAEMON", "127.0.0.1:1"), "-s", address, "health"));
    assertEquals("Ok\n", out.toString());
  }

  @Test
  void approveAndRejectCallTheGatePaths() {
    answers.put("POST /zone/example.com./signed/1764295200/approve", Map.entry(200, "{\"name\":\"example.com.\"}"));
    answers.put("POST /zone/example.com./unsigned/7/reject", Map.entry(200, "{\"name\":\"example.com.\"}"));
    assertEquals(0, run("zone", "approve", "--signed", "example.com.", "1764295200"), err.toString());
    assertEquals(0, run("zone", "reject", "--unsigned", "example.com.", "7"), err.toString());
    assertEquals("Approved signed zone 'example.com.' with serial number 1764295200\n"
        + "Rejected unsigned zone 'example.com.' with serial number 7\n", out.toString());
  }

  @Test
  void approveNeedsExactlyOneStage() {
    assertEquals(2, run("zone", "approve", "example.com.", "7"));
    assertTrue(err.toString().startsWith("ERROR: "), err.toString());
    assertTrue(requests.isEmpty());
    StringWriter both = new StringWriter();
    int status = Main.run(new String[] {"zone", "approve", "--signed", "--unsigned", "example.com.", "7"},
        new PrintWriter(new StringWriter()), new PrintWriter(both, true), Map.of("CASCADE_DAEMON", address), CLOCK);
    assertEquals(2, status);
    assertTrue(both.toString().contains("mutually exclusive"), both.toString());
  }

  @Test
  void missingRequiredOptionIsAnError() {
    assertEquals(2, run("zone", "add", "example.com.", "--policy", "default"));
    assertTrue(err.toString().startsWith("ERROR: Missing required option: '--source=<IP[:PORT][^TSIG]|PATH>'"),
        err.toString());
    assertTrue(requests.isEmpty());
  }

  @Test
  void serialMustBeAnUnsigned32BitNumber() {
    assertEquals(2, run("zone", "approve", "--signed", "example.com.", "4294967296"));
    assertEquals("ERROR: serial 4294967296 is not an unsigned 32-bit number\n"
        + "Run 'cascade zone approve --help' for usage.\n", err.toString());
    assertTrue(requests.isEmpty());
  }

  @Test
  void statusRendersTheApiAnswer() {
    answers.put("GET /zone/a./status", Map.entry(200, "{\"name\":\"a.\",\"policy\":\"default\",\"source\":\"/z\","
        + "\"review\":{\"loaded\":\"off\",\"signed\":\"off\"},\"progress\":\"idle\",\"lastPublished\":null,"
        + "\"keys\":[]}"));
    assertEquals(0, run("zone", "status", "a."), err.toString());
    assertTrue(out.toString().startsWith("zone:   a.\npolicy: default\nsource: /z\n"), out.toString());
    assertTrue(out.toString().endsWith("status: idle\n"), out.toString());
  }

  @Test
  void globalStatusListsHaltedZonesAndServers() {
    answers.put("GET /status", Map.entry(200, "{\"zones\":2,\"haltedZones\":[{\"zone\":\"a.\","
        + "\"progress\":\"signing failed\",\"reason\":\"bad key\"}],\"unsignedReviewAddresses\":[\"127.0.0.1:4540\"],"
        + "\"signedReviewAddresses\":[\"127.0.0.1:4541\"],\"publishAddresses\":[\"127.0.0.1:4542\"]}"));
    assertEquals(0, run("status"), err.toString());
    assertEquals("""
        Loaded zone review server:
          - 127.0.0.1:4540
        Signed zone review server:
          - 127.0.0.1:4541
        Publication server:
          - 127.0.0.1:4542

        Zones: 2
        Halted zones:
          - a.: bad key
        """, out.toString());
  }

  @Test
  void policyListWarnsAboutBrokenFiles() {
    answers.put("GET /policy/", Map.entry(200,
        "{\"policies\":[\"default\",\"review\"],\"errors\":[\"/p/bad.toml: unknown key x\"]}"));
    assertEquals(0, run("policy", "list"));
    assertEquals("default\nreview\n", out.toString());
    assertEquals("WARNING: /p/bad.toml: unknown key x\n", err.toString());
  }

  @Test
  void policyShowNamesTheReviewHooksTheHsmAndTheReSigningApproval() {
    answers.put("GET /policy/hooked", Map.entry(200, "{\"name\":\"hooked\",\"zones\":[],"
        + "\"unsignedReview\":\"script\",\"unsignedReviewHook\":\"/bin/check\",\"signedReview\":\"manual\","
        + "\"signedReviewHook\":null,\"approveReSigning\":true,\"algorithm\":\"RSASHA256\","
        + "\"hsmServerId\":\"token-1\",\"denial\":\"nsec\"}"));
    assertEquals(0, run("policy", "show", "hooked"), err.toString());
    String shown = out.toString();
    assertTrue(shown.contains("loader:\n  review: script `/bin/check`\n"), shown);
    assertTrue(shown.contains("  HSM:          token-1\n"), shown);
    assertTrue(shown.contains("  review: manual\n  approve re-signing: yes\n"), shown);
  }

  @Test
  void policyReloadPrintsEachChangeTheZonesUpdatedAndTheWarnings() {
    answers.put("POST /policy/reload", Map.entry(200, "{\"changes\":[{\"name\":\"default\",\"change\":\"updated\"},"
        + "{\"name\":\"new\",\"change\":\"added\"}],\"warnings\":[\"/p/bad.toml: unknown key x\"],"
        + "\"zonesUpdated\":[\"example.com.\"]}"));
    assertEquals(0, run("policy", "reload"), err.toString());
    assertEquals("- default updated\n- new added\n"
        + "zone example.com. takes the new settings from its next version\n", out.toString());
    assertEquals("WARNING: /p/bad.toml: unknown key x\n", err.toString());
  }

  @Test
  void setPolicyAndSetSourceSendWhatTheyChange() throws Exception {
    answers.put("POST /zone/example.com./set-policy", Map.entry(200, "{\"name\":\"example.com.\",\"status\":"
        + "\"Zone example.com. uses policy 'review' from its next version; sent a reload\"}"));
    answers.put("POST /zone/example.com./set-source", Map.entry(200, "{\"name\":\"example.com.\",\"status\":"
        + "\"Zone example.com. loads from /z from now on; sent a reload\"}"));
    assertEquals(0, run("zone", "set-policy", "example.com.", "review"), err.toString());
    assertEquals(0, run("zone", "set-source", "example.com.", "zones/../other.zone"), err.toString());
    assertEquals("Zone example.com. uses policy 'review' from its next version; sent a reload\n"
        + "Zone example.com. loads from /z from now on; sent a reload\n", out.toString());
    ObjectMapper json = new ObjectMapper();
    String setPolicy = requests.get(0).substring("POST /zone/example.com./set-policy ".length());
    assertEquals("review", json.readTree(setPolicy).get("policy").asText());
    String setSource = requests.get(1).substring("POST /zone/example.com./set-source ".length());
    assertEquals(Path.of("other.zone").toAbsolutePath().toString(), json.readTree(setSource).get("source").asText());
  }

  @Test
  void keysetRollStepSendsTheStepAndItsTtlAndSaysWhereTheOutcomeShows() throws Exception {
    answers.put("POST /key/example.com./roll", Map.entry(200, "{\"name\":\"example.com.\",\"status\":"
        + "\"Keyset command 'ksk propagation2-complete 7200' accepted for example.com.\"}"));
    assertEquals(0, run("keyset", "example.com.", "ksk", "propagation2-complete", "2h"), err.toString());
    assertEquals("Keyset command 'ksk propagation2-complete 7200' accepted for example.com.\n"
        + "The key manager applies it; 'cascade zone history example.com.' shows the outcome.\n", out.toString());
    JsonNode body = new ObjectMapper().readTree(requests.get(0).substring("POST /key/example.com./roll ".length()));
    assertEquals("ksk", body.get("variant").asText());
    assertEquals("propagation2-complete", body.get("step").asText());
    assertEquals("2h", body.get("ttl").asText());
  }

  @Test
  void aRefusedKeysetStepIsAnErrorWithTheStateMachinesReason() {
    answers.put("POST /key/example.com./roll",
        Map.entry(409, "{\"error\":\"the zsk roll waits for propagation1-complete <ttl>, not roll-done\"}"));
    assertEquals(1, run("keyset", "example.com.", "zsk", "roll-done"));
    assertEquals("ERROR: the zsk roll waits for propagation1-complete <ttl>, not roll-done\n", err.toString());
    assertEquals("", out.toString());
    assertEquals(2, run("keyset", "example.com.", "zsk", "roll-done", "--force"));
    assertTrue(err.toString().endsWith("ERROR: --force and --continue belong to remove-key\n"
        + "Run 'cascade keyset --help' for usage.\n"), err.toString());
    assertEquals(2, run("keyset", "example.com.", "dsk", "roll-done"));
    assertTrue(err.toString().contains("unknown keyset action 'dsk'"), err.toString());
  }

  @Test
  void keysetGetPrintsTheRecordsAsTextOrJsonAndRemoveKeySendsItsFlags() throws Exception {
    String ds = "; the ksk roll waits for this DS RRset at the parent (propagation2-complete <ttl> once it is there)\n"
        + "example.com.\t\t3600\tIN\tDS\t2371 13 2 ABCDEF\n";
    answers.put("GET /key/example.com./ds", Map.entry(200, new ObjectMapper().writeValueAsString(
        Map.of("zone", "example.com.", "type", "DS", "records", ds))));
    answers.put("POST /key/example.com./remove", Map.entry(200, "{\"name\":\"example.com.\",\"status\":"
        + "\"Keyset command 'remove-key db:keymanager/a' accepted for example.com.\"}"));
    assertEquals(0, run("keyset", "example.com.", "get", "DS"), err.toString());
    assertEquals(ds, out.toString());
    assertEquals(0, run("keyset", "example.com.", "remove-key", "--force", "2371"), err.toString());
    JsonNode body = new ObjectMapper().readTree(requests.get(1).substring("POST /key/example.com./remove ".length()));
    assertEquals("2371", body.get("key").asText());
    assertTrue(body.get("force").asBoolean());
    assertTrue(!body.get("continue").asBoolean());

    out.getBuffer().setLength(0);
    assertEquals(0, run("keyset", "example.com.", "get", "ds", "--format", "json"), err.toString());
    JsonNode printed = new ObjectMapper().readTree(out.toString());
    assertEquals("example.com.", printed.get("zone").asText());
    assertEquals("DS", printed.get("type").asText());
    assertEquals(List.of("example.com.\t\t3600\tIN\tDS\t2371 13 2 ABCDEF"),
        new ObjectMapper().convertValue(printed.get("records"), List.class), "the records, as strings in an array");
    assertEquals(List.of("the ksk roll waits for this DS RRset at the parent (propagation2-complete <ttl> once it is"
        + " there)"), new ObjectMapper().convertValue(printed.get("comments"), List.class));
  }

  @Test
  void statusKeysListsTheFirstToExpireThenEveryZonesKeys() {
    answers.put("GET /status/keys", Map.entry(200, """
        {"zones":[{"zone":"example.com.","keys":[
          {"reference":"db:keymanager/a","keyTag":2371,"role":"KSK","algorithm":13,
           "uses":["published","signs-keys","at-parent"],"roll":null,"expiresAt":"2027-11-28T03:00:00Z"},
          {"reference":"db:keymanager/b","keyTag":61464,"role":"ZSK","algorithm":13,"uses":["published","signs-zone"],
           "roll":"old key of the zsk roll, next step propagation1-complete <ttl>","expiresAt":"2026-11-28T01:00:00Z"},
          {"reference":"db:keymanager/c","keyTag":11111,"role":"ZSK","algorithm":13,"uses":["published"],
           "roll":"new key of the zsk roll, next step propagation1-complete <ttl>","expiresAt":"2026-12-28T05:30:00Z"}
        ]}]}"""));
    assertEquals(0, run("status", "keys"), err.toString());
    assertEquals("""
        First to expire (max 5):
          Zone                           Key              Time left
          example.com.                   ZSK 61464        EXPIRED
          example.com.                   ZSK 11111        30d 2h
          example.com.                   KSK 2371         365d 0h

        Keys per zone:
          example.com.
            KSK 2371 algorithm 13: published, signs-keys, at-parent; expires 2027-11-28T03:00:00Z (365d 0h)
              db:keymanager/a
            ZSK 61464 algorithm 13: published, signs-zone; expires 2026-11-28T01:00:00Z (EXPIRED); old key of the zsk \
        roll, next step propagation1-complete <ttl>
              db:keymanager/b
            ZSK 11111 algorithm 13: published; expires 2026-12-28T05:30:00Z (30d 2h); new key of the zsk roll, next \
        step propagation1-complete <ttl>
              db:keymanager/c
        """, out.toString());
    assertEquals(2, run("status", "kees"));
  }

  private static final String TSIG_SECRET = "q0b8CDbTQxGkvMvuFJbz3yjB3XcBx0OTqaDl8e0lCuk=";

  @Test
  void tsigAddTakesEveryFormAndSendsNameAlgorithmAndSecret() throws Exception {
    answers.put("POST /tsig/add", Map.entry(200, "{\"name\":\"k\",\"status\":\"Added TSIG key k\"}"));
    Path bindFile = Files.createTempFile("tsig", ".key");
    bindFile.toFile().deleteOnExit();
    Files.writeString(bindFile, "key \"xfr\" {\n\talgorithm hmac-sha512;\n\tsecret \"" + TSIG_SECRET + "\";\n};\n");

    assertEquals(0, run("tsig", "add", "xfr-key:" + TSIG_SECRET), err.toString());
    assertEquals(0, run("tsig", "add", "hmac-sha1:old-key:" + TSIG_SECRET), err.toString());
    assertEquals(0, run("tsig", "add", "xfr", "hmac-sha384", bindFile.toString()), err.toString());
    assertEquals(0, run("tsig", "add", "plain", "hmac-sha256", TSIG_SECRET), err.toString());

    List<JsonNode> bodies = requests.stream()
        .map(r -> readJson(r.substring("POST /tsig/add ".length()))).toList();
    assertEquals(List.of("xfr-key", "old-key", "xfr", "plain"),
        bodies.stream().map(b -> b.get("name").asText()).toList());
    assertEquals(List.of("hmac-sha256", "hmac-sha1", "hmac-sha384", "hmac-sha256"),
        bodies.stream().map(b -> b.get("algorithm").asText()).toList());
    assertTrue(bodies.stream().allMatch(b -> b.get("secret").asText().equals(TSIG_SECRET)));
    assertTrue(out.toString().startsWith("Added TSIG key k\n"), out.toString());
  }

  @Test
  void tsigAddRefusesBadInputBeforeSendingAnything() {
    assertEquals(1, run("tsig", "add", "k:not*base64"));
    assertTrue(err.toString().contains("TSIG key k: the secret is not valid base64"), err.toString());
    assertEquals(1, run("tsig", "add", "k", "hmac-md5", TSIG_SECRET));
    assertTrue(err.toString().contains("unknown TSIG algorithm 'hmac-md5'"), err.toString());
    assertTrue(requests.isEmpty());
    assertTrue(!err.toString().contains(TSIG_SECRET));
  }

  @Test
  void tsigListShowsUsersAndRemoveShowsTheRefusal() {
    answers.put("GET /tsig/", Map.entry(200, "{\"keys\":{\"a-key\":{\"algorithm\":\"hmac-sha256\",\"users\":[]},"
        + "\"b-key\":{\"algorithm\":\"hmac-sha1\",\"users\":[\"zone example.\",\"server setting provide-xfr-to\"]}}}"));
    assertEquals(0, run("tsig", "list"));
    assertEquals("a-key (hmac-sha256): not in use\n"
        + "b-key (hmac-sha1): used by zone example., server setting provide-xfr-to\n", out.toString());
    answers.put("POST /tsig/b-key/remove",
        Map.entry(409, "{\"error\":\"TSIG key b-key is in use by zone example.\"}"));
    assertEquals(1, run("tsig", "remove", "b-key"));
    assertTrue(err.toString().contains("TSIG key b-key is in use by zone example."), err.toString());
  }

  /** Each read command's answer, by its command line: the API path and what the API answers there. */
  private static final List<Map.Entry<List<String>, Map.Entry<String, String>>> READ_COMMANDS = List.of(
      Map.entry(List.of("zone", "list"), Map.entry("GET /zone/", "{\"zones\":[\"a.\",\"b.\"]}")),
      Map.entry(List.of("zone", "status", "a."), Map.entry("GET /zone/a./status", "{\"name\":\"a.\","
          + "\"policy\":\"default\",\"source\":\"/z\",\"review\":{\"loaded\":\"off\",\"signed\":\"off\"},"
          + "\"progress\":\"idle\",\"lastPublished\":null,\"keys\":[]}")),
      Map.entry(List.of("zone", "history", "a."), Map.entry("GET /zone/a./history", "{\"history\":[{\"when\":"
          + "\"2026-11-28T02:00:00.123Z\",\"serial\":7,\"event\":\"published\"},{\"when\":\"2026-11-28T01:00:00Z\","
          + "\"serial\":null,\"event\":\"added\"}]}")),
      Map.entry(List.of("policy", "list"), Map.entry("GET /policy/",
          "{\"policies\":[\"default\"],\"errors\":[\"/p/bad.toml: unknown key x\"]}")),
      Map.entry(List.of("policy", "show", "default"), Map.entry("GET /policy/default", "{\"name\":\"default\","
          + "\"zones\":[\"a.\"],\"unsignedReview\":\"off\",\"signedReview\":\"off\",\"algorithm\":\"ECDSAP256SHA256\","
          + "\"useCsk\":true,\"denial\":\"nsec3\",\"nsec3OptOut\":false,\"nsec3Iterations\":0,\"nsec3Salt\":\"\"}")),
      Map.entry(List.of("status"), Map.entry("GET /status", "{\"zones\":1,\"haltedZones\":[],"
          + "\"unsignedReviewAddresses\":[],\"signedReviewAddresses\":[],\"publishAddresses\":[\"127.0.0.1:4542\"]}")),
      Map.entry(List.of("status", "keys"), Map.entry("GET /status/keys", "{\"zones\":[{\"zone\":\"a.\",\"keys\":["
          + "{\"reference\":\"db:keymanager/a\",\"keyTag\":2371,\"role\":\"CSK\",\"algorithm\":13,"
          + "\"uses\":[\"published\"],\"roll\":null,\"expiresAt\":null}]}]}")),
      Map.entry(List.of("tsig", "list"), Map.entry("GET /tsig/",
          "{\"keys\":{\"k\":{\"algorithm\":\"hmac-sha256\",\"users\":[\"zone a.\"]}}}")),
      Map.entry(List.of("health"), Map.entry("GET /health", "{\"healthy\":true}")));

  @Test
  void formatJsonPrintsEachReadCommandsApiAnswerPrettyAndNewlineTerminated() throws Exception {
    for (var command : READ_COMMANDS) {
      answers.put(command.getValue().getKey(), Map.entry(200, command.getValue().getValue()));
    }
    ObjectMapper json = new ObjectMapper();
    for (var command : READ_COMMANDS) {
      List<String> args = new ArrayList<>(command.getKey());
      args.add("--format");
      args.add("json");
      out.getBuffer().setLength(0);
      assertEquals(0, run(args.toArray(String[]::new)), args + ": " + err);
      String printed = out.toString();
      assertEquals(json.readTree(command.getValue().getValue()), json.readTree(printed), args.toString());
      assertEquals(json.writerWithDefaultPrettyPrinter().writeValueAsString(json.readTree(printed)) + "\n", printed,
          args + " prints one pretty-printed object and a newline");
      assertTrue(printed.indexOf('\n') < printed.length() - 1, args + " is pretty-printed over several lines");
    }
    assertEquals("", err.toString(), "json mode puts the API's errors list in the answer, not on standard error");
  }

  @Test
  void formatTextIsTheDefaultLayout() {
    for (var command : READ_COMMANDS) {
      answers.put(command.getValue().getKey(), Map.entry(200, command.getValue().getValue()));
    }
    for (var command : READ_COMMANDS) {
      List<String> args = new ArrayList<>(command.getKey());
      out.getBuffer().setLength(0);
      assertEquals(0, run(args.toArray(String[]::new)), args + ": " + err);
      String byDefault = out.toString();
      args.add("--format=text");
      out.getBuffer().setLength(0);
      assertEquals(0, run(args.toArray(String[]::new)), args + ": " + err);
      assertEquals(byDefault, out.toString(), args.toString());
    }
    out.getBuffer().setLength(0);
    assertEquals(0, run("zone", "history", "a."));
    assertEquals("""
        Timestamp                 Serial     Event
        ---------                 ------     -----
        2026-11-28T02:00:00Z      7          published
        2026-11-28T01:00:00Z      -          added
        """, out.toString());
    out.getBuffer().setLength(0);
    assertEquals(0, run("tsig", "list"));
    assertEquals("k (hmac-sha256): used by zone a.\n", out.toString());
  }

  @Test
  void anUnknownFormatIsAUsageError() {
    assertEquals(2, run("zone", "list", "--format", "yaml"));
    assertTrue(err.toString().contains("--format"), err.toString());
    assertTrue(err.toString().contains("text, json"), err.toString());
    assertTrue(requests.isEmpty());
    assertEquals(2, run("keyset", "a.", "ksk", "start-roll", "--format", "json"));
    assertTrue(err.toString().contains("--format json belongs to get"), err.toString());
    assertTrue(requests.isEmpty());
  }

  private static final String WATCHED_STATUS = "{\"name\":\"a.\",\"policy\":\"default\",\"source\":\"/z\","
      + "\"review\":{\"loaded\":\"off\",\"signed\":\"off\"},\"progress\":\"idle\",\"lastPublished\":null,"
      + "\"keys\":[]}";

  @Test
  void watchRendersTheStatusAgainWithASeparatorWhenNotOnATerminal() {
    answers.put("GET /zone/a./status", Map.entry(200, WATCHED_STATUS));
    assertEquals(0, run("zone", "status", "a."), err.toString());
    String once = out.toString();
    out.getBuffer().setLength(0);
    requests.clear();
    assertEquals(0, run("zone", "status", "a.", "--watch", "--interval", "1", "--watch-count", "2"), err.toString());
    assertEquals(once + "--- 2026-11-28T03:00:00Z\n" + once, out.toString());
    assertEquals(List.of("GET /zone/a./status ", "GET /zone/a./status "), requests, "each render asks the API again");
  }

  @Test
  void watchAsJsonPrintsOneObjectPerLine() throws Exception {
    answers.put("GET /zone/a./status", Map.entry(200, WATCHED_STATUS));
    assertEquals(0, run("zone", "status", "a.", "--watch", "--format", "json", "--interval", "1",
        "--watch-count", "2"), err.toString());
    String[] lines = out.toString().split("\n", -1);
    assertEquals(3, lines.length, out.toString());
    assertEquals("", lines[2], "newline-terminated");
    JsonNode expected = new ObjectMapper().readTree(WATCHED_STATUS);
    assertEquals(expected, new ObjectMapper().readTree(lines[0]));
    assertEquals(expected, new ObjectMapper().readTree(lines[1]));
    assertEquals(2, requests.size());
  }

  @Test
  void watchStopsWithTheApisErrorAndExitsOne() throws Exception {
    answers.put("GET /zone/a./status", Map.entry(200, WATCHED_STATUS));
    Thread dropZone = new Thread(() -> {
      // The first render is out before the CLI sleeps its interval: the zone goes away before the second request.
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!out.toString().contains("status: idle") && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      answers.put("GET /zone/a./status", Map.entry(404, "{\"error\":\"Zone a. is not known\"}"));
    });
    dropZone.start();
    assertEquals(1, run("zone", "status", "a.", "--watch", "--interval", "1"));
    dropZone.join();
    assertEquals("ERROR: Zone a. is not known\n", err.toString());
    assertEquals(2, requests.size());
    assertTrue(out.toString().endsWith("status: idle\n"), out.toString());
  }

  @Test
  void watchIntervalIsAtLeastOneSecondAndBelongsToWatch() {
    assertEquals(2, run("zone", "status", "a.", "--watch", "--interval", "0"));
    assertTrue(err.toString().contains("--interval must be at least 1 second, not 0"), err.toString());
    assertEquals(2, run("zone", "status", "a.", "--interval", "5"));
    assertTrue(err.toString().contains("--interval belongs to --watch"), err.toString());
    assertTrue(requests.isEmpty());
  }

  private static JsonNode readJson(String text) {
    try {
      return new ObjectMapper().readTree(text);
    } catch (IOException e) {
      throw new AssertionError(text, e);
    }
  }

  @Test
  void aBareCascadeIsAUsageErrorThatPrintsTheHelpAndHelpListsTheExitStatuses() {
    assertEquals(2, run());
    assertTrue(err.toString().startsWith("ERROR: a command is needed\nUsage: cascade"), err.toString());
    assertTrue(err.toString().contains("Exit status:"), err.toString());

    assertEquals(0, run("zone", "add", "--help"));
    assertTrue(out.toString().contains("Exit status:\n  0   Success.\n  1   Failure:"), out.toString());
    assertTrue(out.toString().contains("  2   Usage error"), out.toString());
    assertTrue(requests.isEmpty());
  }

  /**
   * Issue 13 item 2: override, reset, halt and resume send their requests and print the API's answer; a refusal (409,
   * with the state named) is an error; {@code cascade status} lists a halted zone with who halted it, since when and
   * how to recover.
   */
  @Test
  void haltCommandsSendTheirRequestsAndStatusListsHowToRecover() throws Exception {
    answers.put("POST /zone/a./unsigned/override", Map.entry(200,
        "{\"name\":\"a.\",\"status\":\"Overrode the rejection of the unsigned zone 'a.' with serial number 7\"}"));
    assertEquals(0, run("zone", "override", "--unsigned", "a."), err.toString());
    answers.put("POST /zone/a./halt", Map.entry(200, "{\"name\":\"a.\",\"status\":\"Halted zone a.\"}"));
    assertEquals(0, run("zone", "halt", "a.", "--reason", "primary under maintenance"), err.toString());
    answers.put("POST /zone/a./resume", Map.entry(200, "{\"name\":\"a.\",\"status\":\"Resumed zone a.\"}"));
    assertEquals(0, run("zone", "resume", "a."), err.toString());
    answers.put("POST /zone/a./reset", Map.entry(409, "{\"error\":\"Zone is not halted (status: idle)\"}"));
    assertEquals(1, run("zone", "reset", "a."));
    assertEquals("Overrode the rejection of the unsigned zone 'a.' with serial number 7\nHalted zone a.\n"
        + "Resumed zone a.\n", out.toString());
    assertEquals("ERROR: Zone is not halted (status: idle)\n", err.toString());
    assertEquals("POST /zone/a./unsigned/override ", requests.get(0));
    assertEquals("primary under maintenance",
        readJson(requests.get(1).substring("POST /zone/a./halt ".length())).get("reason").asText());
    assertEquals(List.of("POST /zone/a./resume ", "POST /zone/a./reset "), requests.subList(2, 4));
    assertEquals(2, run("zone", "override", "a."), "--unsigned or --signed is required");

    answers.put("GET /status", Map.entry(200, "{\"zones\":1,\"haltedZones\":[{\"zone\":\"a.\","
        + "\"progress\":\"halted after loaded review\",\"reason\":\"Unsigned zone review rejected\","
        + "\"cause\":\"loaded-review\",\"by\":\"operator\",\"since\":\"2026-11-28T02:00:00Z\","
        + "\"recovery\":[\"cascade zone override --unsigned a.\",\"cascade zone reset a.\"]}],"
        + "\"unsignedReviewAddresses\":[],\"signedReviewAddresses\":[],\"publishAddresses\":[]}"));
    out.getBuffer().setLength(0);
    assertEquals(0, run("status"), err.toString());
    assertTrue(out.toString().endsWith("""
        Halted zones:
          - a.: Unsigned zone review rejected
            halted after loaded review, by operator since 2026-11-28T02:00:00Z
            run: cascade zone override --unsigned a.
            run: cascade zone reset a.
        """), out.toString());
  }

  @Test
  void generateCompletionPrintsABashCompletionScriptForEveryCommand() {
    assertEquals(0, run("generate-completion"));
    assertTrue(out.toString().contains("complete -F _complete_cascade"), out.toString());
    assertTrue(out.toString().contains("set-policy"), "subcommands of subcommands are completed too");
  }
}
