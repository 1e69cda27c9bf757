package dev.cascade.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.cascade.cli.opendnssec.EnforcerKeys;
import dev.cascade.dnssec.keys.KeyImport;
import dev.cascade.dnssec.keys.SigningRole;
import dev.cascade.dnssec.pkcs11.Pkcs11Config;
import dev.cascade.dnssec.pkcs11.Pkcs11Token;
import dev.cascade.dnssec.pkcs11.Pkcs11Uri;
import dev.cascade.dnssec.roll.KeySetState;
import dev.cascade.dnssec.roll.KeyState;
import dev.cascade.dnssec.roll.RollPosition;
import dev.cascade.dnssec.roll.RollType;
import dev.cascade.testinfra.OpenDnssec;
import dev.cascade.testinfra.SoftHsmResource;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * {@code cascade migrate opendnssec} against a real OpenDNSSEC 2.1 (test-infra {@link OpenDnssec}, its keys in a
 * SoftHSM2 token), with a small HTTP server standing in for the operator API as in {@link CliTest}: the policy file is
 * written, the zone is added with OpenDNSSEC's two keys as DNSKEY + PKCS#11 URI, the keys have holder certificates so
 * that Cascade's token code finds them (and checks them against the DNSKEYs), and a second run changes nothing.
 */
class MigrateOpenDnssecTest {
  private static final String ZONE = "migrate.test";

  @Test
  void migratesPoliciesZonesAndKeysInPlaceAndASecondRunChangesNothing(@TempDir Path dir) throws Exception {
    String slot = SoftHsmResource.slot();
    List<String> requests = new CopyOnWriteArrayList<>();
    HttpServer server = operatorApi(requests);
    Path policies = Files.createDirectories(dir.resolve("policies"));
    String[] args = args(dir, server, policies);
    try (OpenDnssec ods = new OpenDnssec(dir.resolve("ods"), ZONE)) {
      List<String[]> keys = ods.startEnforcer();

      StringWriter dryOut = new StringWriter();
      StringWriter dryErr = new StringWriter();
      List<String> dryArgs = new ArrayList<>(List.of(args));
      dryArgs.add("--dry-run");
      assertEquals(0, Main.run(dryArgs.toArray(String[]::new), new PrintWriter(dryOut, true),
          new PrintWriter(dryErr, true), Map.of(), Clock.systemUTC()), dryErr.toString());
      assertTrue(dryOut.toString().contains("zone " + ZONE + ": would add with policy default"), dryOut.toString());
      assertTrue(requests.stream().noneMatch(r -> r.startsWith("POST")), "--dry-run changed something");
      try (var files = Files.list(policies)) {
        assertEquals(0, files.count(), "--dry-run wrote a policy");
      }

      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      assertEquals(0, Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), Map.of(),
          Clock.systemUTC()), err.toString() + out);
      String policy = Files.readString(policies.resolve("default.toml"));
      assertTrue(policy.contains("algorithm = \"ECDSAP256SHA256\"\nuse-csk = false\nhsm-server-id = \""
          + SoftHsmResource.LABEL + "\""), policy);
      assertTrue(err.toString().contains("WARNING: default: <Jitter> PT12H: not mapped"), err.toString());

      String add = requests.stream().filter(r -> r.startsWith("POST /zone/add ")).findFirst().orElseThrow();
      JsonNode body = new ObjectMapper().readTree(add.substring("POST /zone/add ".length()));
      assertEquals(ZONE, body.path("name").asText());
      assertEquals(ods.unsigned().toString(), body.path("source").asText());
      assertEquals("default", body.path("policy").asText());
      assertEquals(2, body.path("keyImports").size(), body.toString());

      Pkcs11Token token = Pkcs11Token.open(new Pkcs11Config(Path.of(SoftHsmResource.LIBRARY), SoftHsmResource.LABEL,
          Long.parseLong(slot), 0, SoftHsmResource.PIN.toCharArray()));
      List<KeyImport.Imported> imported = new ArrayList<>();
      for (JsonNode k : body.path("keyImports")) {
        assertFalse(k.has("privateKey"), "a private key left the token");
        DNSKEYRecord exported = (DNSKEYRecord) Record.fromString(Name.root, Type.DNSKEY, DClass.IN, 0,
            k.path("publicKey").asText().replaceFirst("^.*?DNSKEY\\s+", ""), Name.root);
        DNSKEYRecord dnskey = new DNSKEYRecord(Name.fromString(ZONE + "."), DClass.IN, 3600, exported.getFlags(),
            exported.getProtocol(), exported.getAlgorithm(), exported.getKey());
        Pkcs11Uri uri = Pkcs11Uri.parse(k.path("privateKeyUri").asText());
        String locator = HexFormat.of().formatHex(uri.id());
        assertTrue(keys.stream().anyMatch(row -> row[row.length - 3].equals(locator)
            && row[row.length - 1].equals(String.valueOf(dnskey.getFootprint()))), locator + " is not "
            + "OpenDNSSEC's key " + dnskey.getFootprint());
        // The keymanager's and the signer's way to the key: it must be found and be the DNSKEY's.
        token.find(uri, dnskey, null);
        imported.add(new KeyImport.Imported(k.path("publicKeyFile").asText(),
            SigningRole.valueOf(k.path("type").asText().toUpperCase(Locale.ROOT)), dnskey, null));
      }
      KeyImport.check(Name.fromString(ZONE + "."), imported, false, 13, Set.of());

      StringWriter again = new StringWriter();
      StringWriter againErr = new StringWriter();
      requests.clear();
      assertEquals(0, Main.run(args, new PrintWriter(again, true), new PrintWriter(againErr, true), Map.of(),
          Clock.systemUTC()), againErr.toString());
      assertTrue(again.toString().contains("policy default: " + policies.resolve("default.toml")
          + " is there already"), again.toString());
      assertTrue(again.toString().contains("zone " + ZONE + ": exists already, left as it is"), again.toString());
      assertTrue(requests.stream().noneMatch(r -> r.startsWith("POST /zone/add")), "the second run added again");
    } finally {
      server.stop(0);
    }
  }

  /**
   * The operator API's answers to what the migration calls, each request recorded as "METHOD path body"; a zone
   * added is listed from then on.
   */
  private static HttpServer operatorApi(List<String> requests) throws IOException {
    List<String> zones = new CopyOnWriteArrayList<>();
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/", exchange -> {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String key = exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath();
        requests.add(key + " " + body);
        String answer = switch (key) {
          case "POST /policy/reload" -> "{\"changes\":[{\"name\":\"default\",\"change\":\"added\"}]}";
          case "GET /zone/" -> "{\"zones\":[" + String.join(",", zones.stream().map(z -> "\"" + z + "\"").toList())
              + "]}";
          case "POST /zone/add" -> {
            zones.add(ZONE + ".");
            yield "{\"name\":\"" + ZONE + ".\",\"status\":\"scheduled\"}";
          }
          default -> "{}";
        };
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
      });
      server.start();
    return server;
  }

  private static String[] args(Path dir, HttpServer server, Path policies) {
    return new String[] {"--server", "127.0.0.1:" + server.getAddress().getPort(), "migrate", "opendnssec", "--conf",
        dir.resolve("ods/conf.xml").toString(), "--policy-dir", policies.toString()};
  }

  /**
   * A ZSK roll OpenDNSSEC has begun ({@code ods-enforcer key rollover}): the zone is added with the keys of both
   * ZSKs, each placed in the roll, and the keymanager's takeover of the roll (dnssec-core {@link
   * KeySetState#takeOver}, with the policy's ZSK roll type first) finds the phase the keys are in.
   */
  @Test
  void aZskRollInProgressIsTakenOverWithEachKeysPlaceInIt(@TempDir Path dir) throws Exception {
    SoftHsmResource.slot();
    List<String> requests = new CopyOnWriteArrayList<>();
    HttpServer server = operatorApi(requests);
    Path policies = Files.createDirectories(dir.resolve("policies"));
    try (OpenDnssec ods = new OpenDnssec(dir.resolve("ods"), ZONE)) {
      ods.startEnforcer();
      ods.enforcer("key", "rollover", "--zone", ZONE, "--keytype", "ZSK");
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> EnforcerKeys
          .rollInProgress(EnforcerKeys.parse(ods.enforcer("key", "list", "--verbose", "--all"),
              ods.enforcer("key", "list", "--debug", "--all")).stream().filter(k -> k.role().equals("ZSK")).toList())
          != null);

      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      assertEquals(0, Main.run(args(dir, server, policies), new PrintWriter(out, true), new PrintWriter(err, true),
          Map.of(), Clock.systemUTC()), err.toString() + out);
      assertTrue(out.toString().contains("zone " + ZONE + ": roll in progress, ZSK: "), out.toString());

      String add = requests.stream().filter(r -> r.startsWith("POST /zone/add ")).findFirst().orElseThrow();
      JsonNode body = new ObjectMapper().readTree(add.substring("POST /zone/add ".length()));
      List<KeyState> keys = new ArrayList<>();
      Map<String, RollPosition> positions = new HashMap<>();
      for (JsonNode k : body.path("keyImports")) {
        DNSKEYRecord dnskey = (DNSKEYRecord) Record.fromString(Name.root, Type.DNSKEY, DClass.IN, 0,
            k.path("publicKey").asText().replaceFirst("^.*?DNSKEY\\s+", ""), Name.root);
        String id = k.path("privateKeyUri").asText();
        keys.add(KeyState.created(id, SigningRole.valueOf(k.path("type").asText().toUpperCase(Locale.ROOT)),
            dnskey.getAlgorithm(), dnskey.getFootprint(), Instant.EPOCH));
        JsonNode p = k.path("rollPosition");
        if (!p.isMissingNode()) {
          positions.put(id, new RollPosition(p.path("part").asText(), p.path("published").asBoolean(),
              p.path("signsKeys").asBoolean(), p.path("signsZone").asBoolean(), p.path("atParent").asBoolean()));
        }
      }
      assertEquals(3, keys.size(), body.toString());
      assertEquals(List.of("new", "old"), positions.values().stream().map(RollPosition::part).sorted().toList(),
          body.toString());
      KeySetState taken = KeySetState.takeOver(keys, positions, variant -> RollType.ZSK_PRE_PUBLISH, Instant.EPOCH);
      assertTrue(taken.roll(RollType.Variant.ZSK).isPresent(), taken.toString());
      assertTrue(taken.roll(RollType.Variant.KSK).isEmpty(), taken.toString());
    } finally {
      server.stop(0);
    }
  }
}
