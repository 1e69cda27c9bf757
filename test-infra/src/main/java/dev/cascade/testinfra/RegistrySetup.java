package dev.cascade.testinfra;

import dev.cascade.events.Topics;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * A registry as the tests' stacks get it.
 *
 * <ul>
 *   <li>The global compatibility rule, FULL_TRANSITIVE (issue 9: the schema contract is enforced by the registry
 *       itself): a new version of an event schema must be readable by every older reader and read every older
 *       record, not only the previous version's, since a replay reads the log from its first record. Set on every
 *       registry a test starts, as {@code deploy/local/stack.sh}, compose and the chart set it on theirs.
 *   <li>Every event schema registered, one topic after another, before any service sends. Apicurio 2.4 answers
 *       two first registrations at once with HTTP 500 (a unique-key violation in its H2 storage), which failed a
 *       load when a service's first content chunk and first progress report raced; a producer now finds its schema
 *       registered.
 * </ul>
 */
public final class RegistrySetup {

  /** The rule's value in Apicurio's API. */
  public static final String FULL_TRANSITIVE = "FULL_TRANSITIVE";

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private RegistrySetup() {}

  /** Both of the above, on the registry at {@code v2Url} ({@code http://host:port/apis/registry/v2}). */
  public static void prepare(String v2Url) {
    requireFullTransitive(v2Url);
    registerEventSchemas(v2Url);
  }

  /**
   * Registers the value schema of every topic of {@link Topics#ALL}, one after another, the way a service's producer
   * does: the registry's serde serializes a record of each schema with auto-registration on, so the artifacts (and
   * the references between named types) are the very ones the services then find.
   */
  public static void registerEventSchemas(String v2Url) {
    try (AvroKafkaSerializer<GenericRecord> serializer = new AvroKafkaSerializer<>()) {
      serializer.configure(Map.of("apicurio.registry.url", v2Url, "apicurio.registry.auto-register", true), false);
      for (Topics.Topic topic : Topics.ALL) {
        Schema schema = schemaOf(topic.valueType());
        serializer.serialize(topic.name(), (GenericRecord) sample(schema));
      }
    }
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
   * Creates the global COMPATIBILITY rule, or updates it when the registry already has one.
   *
   * @param v2Url the registry's v2 API base, {@code http://host:port/apis/registry/v2}
   */
  public static void requireFullTransitive(String v2Url) {
    String rule = "{\"type\":\"COMPATIBILITY\",\"config\":\"" + FULL_TRANSITIVE + "\"}";
    HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(v2Url + "/admin/rules"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(rule))
        .build());
    if (created.statusCode() == 409) {
      created = send(HttpRequest.newBuilder(URI.create(v2Url + "/admin/rules/COMPATIBILITY"))
          .header("Content-Type", "application/json")
          .PUT(HttpRequest.BodyPublishers.ofString(rule))
          .build());
    }
    if (created.statusCode() / 100 != 2) {
      throw new IllegalStateException(
          "the registry at " + v2Url + " refused the global FULL_TRANSITIVE rule: HTTP " + created.statusCode() + " "
              + created.body());
    }
  }

  private static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach the registry at " + request.uri(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while setting up the registry", e);
    }
  }
}
