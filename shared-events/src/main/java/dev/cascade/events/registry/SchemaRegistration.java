package dev.cascade.events.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.kiota.ApiException;
import dev.cascade.events.Topics;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * The schema contract, put into a registry (issue 9): the global compatibility rule FULL_TRANSITIVE, then the value
 * schema of every topic of {@link Topics#ALL}, one topic after another. The services never register a schema
 * themselves; a producer whose schema was not registered here cannot send.
 *
 * <p>Running it again changes nothing: the rule is only written when it is missing or different, and a schema the
 * registry already has is only looked up. A schema the registry refuses (it breaks FULL_TRANSITIVE against a
 * version registered before) fails the whole step with the registry's reason.
 */
public final class SchemaRegistration {

  /** The rule's value in Apicurio's API. */
  private static final String FULL_TRANSITIVE = "FULL_TRANSITIVE";

  private static final String AUTO_REGISTER = "apicurio.registry.auto-register";
  private static final String DEREFERENCE = "apicurio.registry.dereference-schema";

  /**
   * How a producer finds the schema this step registered, for serializers configured in code; every service's
   * application.properties sets the same two keys connector-wide.
   *
   * <ul>
   *   <li>No auto-registration (also the serde's default): the schema contract is enforced by the deploy step and
   *       the registry's rule, not by whichever producer sends first.
   *   <li>Without auto-registration and without {@code find-latest}, the 3.1.7 serializer looks its own schema up by
   *       content (Apicurio's {@code DefaultSchemaResolver}) and writes with exactly that schema. The registry hashes
   *       a version's content together with its references (Apicurio 3.0.9 {@code RegistryContentUtils.contentHash})
   *       and the lookup sends the content alone, so a schema registered with its named types as references (the
   *       serde's default) is never found; registered dereferenced, every named type inline and no references, it
   *       is. Tried against Apicurio 2.4.2, both ways.
   *   <li>Not {@code find-latest}: the 3.1.7 serde's v2 client asks 2.4.2 for version {@code latest}, which 2.4.2
   *       answers with 404 (tried), and the serializer would then encode with the registry's latest schema instead
   *       of its own, so during a rolling upgrade an older producer would write with a newer schema than its class.
   * </ul>
   */
  public static final Map<String, Object> PRODUCER_SETTINGS = Map.of(AUTO_REGISTER, false, DEREFERENCE, true);

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  private SchemaRegistration() {}

  /** The whole step on the registry at {@code registryUrl}: the rule, then every schema of {@link Topics#ALL}. */
  public static void run(String registryUrl, PrintStream out) {
    requireFullTransitive(registryUrl, out);
    register(registryUrl, Topics.ALL, out);
  }

  /**
   * Registers the value schema of each topic with the registry's own serde, the way a producer would with
   * auto-registration on (same artifact per topic, {@code <topic>-value}), dereferenced as {@link #PRODUCER_SETTINGS}
   * look it up. One topic after another: Apicurio 2.4 answered two concurrent first registrations with HTTP 500 (a
   * unique-key violation in its H2 storage). Prints one line per topic.
   *
   * @throws IllegalStateException when the registry refuses a schema or cannot be reached; topics before it stay
   *     registered, which is harmless since a later run finds them
   */
  public static void register(String registryUrl, List<Topics.Topic> topics, PrintStream out) {
    Vertx vertx = Vertx.vertx();
    try {
      int registered = 0;
      for (Topics.Topic topic : topics) {
        Schema schema = schemaOf(topic.valueType());
        GenericRecord record = (GenericRecord) sample(schema);
        String what = topic.name() + " (" + schema.getName() + ")";
        Integer found = lookUp(registryUrl, vertx, topic, record);
        if (found != null) {
          out.println(what + ": already registered, content id " + found);
          continue;
        }
        int id = registerOne(registryUrl, vertx, topic, record, what);
        out.println(what + ": registered, content id " + id);
        registered++;
      }
      out.println(topics.size() + " event schemas: " + registered + " registered, " + (topics.size() - registered)
          + " already registered");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().join();
    }
  }

  /** The content id a producer would find for {@code record}'s schema on the topic, or null if it finds none. */
  private static Integer lookUp(String registryUrl, Vertx vertx, Topics.Topic topic, GenericRecord record) {
    try (AvroKafkaSerializer<GenericRecord> serializer = serializer(registryUrl, vertx, false)) {
      return contentId(serializer.serialize(topic.name(), record));
    } catch (RuntimeException notFound) {
      // Not registered (the registry answered 404), or unreachable: registering says which.
      return null;
    }
  }

  private static int registerOne(
      String registryUrl, Vertx vertx, Topics.Topic topic, GenericRecord record, String what) {
    try (AvroKafkaSerializer<GenericRecord> serializer = serializer(registryUrl, vertx, true)) {
      return contentId(serializer.serialize(topic.name(), record));
    } catch (RuntimeException e) {
      ApiException answer = registryAnswer(e);
      if (answer != null && answer.getResponseStatusCode() == 409) {
        throw new IllegalStateException("the registry at " + registryUrl + " refused the schema of " + what
            + ": it is not " + FULL_TRANSITIVE + " compatible with the versions registered before (" + detail(answer)
            + ")", e);
      }
      if (answer != null && answer.getResponseStatusCode() == 422) {
        // Apicurio 2.4.2 answers 422 ("Could not execute compatibility rule on invalid Avro schema") when an earlier
        // version names its types as references, which its compatibility rule cannot parse (tried).
        throw new IllegalStateException("the registry at " + registryUrl + " cannot check the schema of " + what
            + " against the versions registered before (HTTP 422): Apicurio 2.4 cannot when an earlier version has"
            + " references, as the services registered them themselves before this deploy step existed; such a"
            + " registry must start afresh (docs/operations.md)", e);
      }
      throw new IllegalStateException("cannot register the schema of " + what + " with the registry at "
          + registryUrl + ": " + (answer != null ? "HTTP " + answer.getResponseStatusCode() + " " + detail(answer)
              : rootCause(e)), e);
    }
  }

  private static AvroKafkaSerializer<GenericRecord> serializer(String registryUrl, Vertx vertx, boolean register) {
    Map<String, Object> config = new HashMap<>(PRODUCER_SETTINGS);
    config.put("apicurio.registry.url", registryUrl);
    config.put(AUTO_REGISTER, register);
    // A Vert.x instance of our own, closed at the end, instead of the serde's shared one that nothing closes.
    config.put("apicurio.registry.vertx.instance", vertx);
    AvroKafkaSerializer<GenericRecord> serializer = new AvroKafkaSerializer<>();
    serializer.configure(config, false);
    return serializer;
  }

  /** From a record as the serde writes it: magic byte 0, then the schema's 4-byte content id (its default). */
  private static int contentId(byte[] serialized) {
    return ByteBuffer.wrap(serialized, 1, Integer.BYTES).getInt();
  }

  /** The registry's error answer among the causes, if the registry answered at all. */
  private static ApiException registryAnswer(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ApiException answer) {
        return answer;
      }
    }
    return null;
  }

  /** What the registry said, from the error models of its v2 and v3 APIs (each carries a detail). */
  private static String detail(ApiException answer) {
    String detail = answer.getMessage();
    if (answer instanceof io.apicurio.registry.rest.client.v2.models.RuleViolationError v2) {
      detail = v2.getDetail();
    } else if (answer instanceof io.apicurio.registry.rest.client.v2.models.Error v2) {
      detail = v2.getDetail();
    } else if (answer instanceof io.apicurio.registry.rest.client.models.RuleViolationProblemDetails v3) {
      detail = v3.getDetail();
    } else if (answer instanceof io.apicurio.registry.rest.client.models.ProblemDetails v3) {
      detail = v3.getDetail();
    }
    return detail != null ? detail : answer.getClass().getSimpleName();
  }

  private static String rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
  }

  /** The Avro schema an Avro-generated class carries ({@code getClassSchema()}). */
  private static Schema schemaOf(Class<?> valueType) {
    try {
      return (Schema) valueType.getMethod("getClassSchema").invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(valueType + " is not an Avro-generated class", e);
    }
  }

  /** A datum of {@code schema} with every field at the simplest value its type allows: only its schema matters. */
  private static Object sample(Schema schema) {
    return switch (schema.getType()) {
      case RECORD -> {
        GenericData.Record record = new GenericData.Record(schema);
        schema.getFields().forEach(field -> record.put(field.name(), sample(field.schema())));
        yield record;
      }
      case UNION -> sample(schema.getTypes().get(0));
      case ENUM -> new GenericData.EnumSymbol(schema, schema.getEnumSymbols().get(0));
      case ARRAY -> new GenericData.Array<>(0, schema);
      case MAP -> Map.of();
      case STRING -> "";
      case BYTES -> ByteBuffer.allocate(0);
      case FIXED -> new GenericData.Fixed(schema, new byte[schema.getFixedSize()]);
      case INT -> 0;
      case LONG -> 0L;
      case FLOAT -> 0f;
      case DOUBLE -> 0d;
      case BOOLEAN -> false;
      case NULL -> null;
    };
  }

  /**
   * Sets the global COMPATIBILITY rule to FULL_TRANSITIVE unless it already is: a new version of an event schema
   * must be readable by every older reader and read every older record, not only the previous version's, since a
   * replay reads the log from its first record. Prints what it did.
   *
   * @param registryUrl the registry's API base: {@code .../apis/registry/v2} for the v2 API (the local 2.4.2
   *     registry), anything else for v3, as the serde decides
   */
  public static void requireFullTransitive(String registryUrl, PrintStream out) {
    // v2 calls the rule's kind "type", v3 "ruleType"; the paths are the same.
    String kind = registryUrl.contains("/apis/registry/v2") ? "type" : "ruleType";
    String rule = "{\"" + kind + "\":\"COMPATIBILITY\",\"config\":\"" + FULL_TRANSITIVE + "\"}";
    String rules = registryUrl + "/admin/rules";
    HttpResponse<String> current = send(HttpRequest.newBuilder(URI.create(rules + "/COMPATIBILITY")).GET().build());
    if (current.statusCode() == 200) {
      String config = configOf(current.body());
      if (FULL_TRANSITIVE.equals(config)) {
        out.println("global compatibility rule: " + FULL_TRANSITIVE + ", already set");
        return;
      }
      expect2xx(send(json(rules + "/COMPATIBILITY").PUT(HttpRequest.BodyPublishers.ofString(rule)).build()),
          registryUrl);
      out.println("global compatibility rule: " + FULL_TRANSITIVE + ", changed from " + config);
    } else if (current.statusCode() == 404) {
      expect2xx(send(json(rules).POST(HttpRequest.BodyPublishers.ofString(rule)).build()), registryUrl);
      out.println("global compatibility rule: " + FULL_TRANSITIVE + ", set");
    } else {
      expect2xx(current, registryUrl);
    }
  }

  private static String configOf(String ruleJson) {
    try {
      return JSON.readTree(ruleJson).path("config").asText();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the registry answered its COMPATIBILITY rule with no JSON: " + ruleJson, e);
    }
  }

  private static HttpRequest.Builder json(String url) {
    return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json");
  }

  private static void expect2xx(HttpResponse<String> response, String registryUrl) {
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException("the registry at " + registryUrl + " refused the global " + FULL_TRANSITIVE
          + " rule: HTTP " + response.statusCode() + " " + response.body());
    }
  }

  private static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach the registry at " + request.uri(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while talking to the registry", e);
    }
  }
}
