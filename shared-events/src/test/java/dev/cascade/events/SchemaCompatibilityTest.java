package dev.cascade.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Checks each event schema against its released copy in {@code src/test/resources/released/v1}: every registry
 * Cascade starts runs the global rule FULL_TRANSITIVE (house-style §5; set by deploy/local/stack.sh, compose, the
 * chart and test-infra's RegistrySetup), so a new schema must read old data and old readers must read new data.
 * This check finds a break in the build, before a registry refuses the schema at run time.
 */
class SchemaCompatibilityTest {

  private static final Path CURRENT = Path.of("src/main/avro");
  private static final Path RELEASED = Path.of("src/test/resources/released/v1");
  private static final List<String> COMMON =
      List.of("EventMetadata.avsc", "ContentLocation.avsc", "PolicySnapshot.avsc");

  static Stream<String> eventSchemas() throws IOException {
    try (Stream<Path> files = Files.list(CURRENT.resolve("events"))) {
      return files.map(p -> p.getFileName().toString()).sorted().toList().stream();
    }
  }

  private static Schema parse(Path root, String commonDir, String eventsDir, String file) throws IOException {
    Schema.Parser parser = new Schema.Parser();
    for (String common : COMMON) {
      parser.parse(root.resolve(commonDir).resolve(common).toFile());
    }
    return parser.parse(root.resolve(eventsDir).resolve(file).toFile());
  }

  @ParameterizedTest
  @MethodSource("eventSchemas")
  void currentSchemaIsFullyCompatibleWithReleased(String file) throws IOException {
    assertTrue(Files.exists(RELEASED.resolve("events").resolve(file)), "no released copy of " + file);
    Schema current = parse(CURRENT, "common", "events", file);
    Schema released = parse(RELEASED, "common", "events", file);
    assertEquals(
        SchemaCompatibilityType.COMPATIBLE,
        SchemaCompatibility.checkReaderWriterCompatibility(current, released).getType(),
        file + ": the new schema cannot read data written with the released one");
    assertEquals(
        SchemaCompatibilityType.COMPATIBLE,
        SchemaCompatibility.checkReaderWriterCompatibility(released, current).getType(),
        file + ": readers on the released schema cannot read data written with the new one");
  }

  @Test
  void theCheckRejectsABreakingChange() throws IOException {
    Schema released = parse(RELEASED, "common", "events", "ZoneVersionPublished.avsc");
    String broken =
        Files.readString(CURRENT.resolve("events/ZoneVersionPublished.avsc"))
            .replace("{\"name\": \"recordCount\", \"type\": \"long\"}", "{\"name\": \"recordCount\", \"type\": \"string\"}");
    assertFalse(broken.contains("\"recordCount\", \"type\": \"long\""), "the test edit did not apply");
    Schema.Parser parser = new Schema.Parser();
    for (String common : COMMON) {
      parser.parse(CURRENT.resolve("common").resolve(common).toFile());
    }
    Schema changed = parser.parse(broken);
    assertEquals(
        SchemaCompatibilityType.INCOMPATIBLE,
        SchemaCompatibility.checkReaderWriterCompatibility(changed, released).getType());
  }

  @Test
  void everyTopicHasOneWriterAndAReleasedSchema() {
    assertEquals(Topics.ALL.size(), Topics.ALL.stream().map(Topics.Topic::name).distinct().count());
    for (Topics.Topic topic : Topics.ALL) {
      assertTrue(topic.name().matches("cascade\\.[a-z-]+\\.v\\d+"), topic.name());
      assertTrue(
          Files.exists(RELEASED.resolve("events").resolve(topic.valueType().getSimpleName() + ".avsc")),
          "no released schema for " + topic.valueType().getSimpleName());
    }
  }
}
