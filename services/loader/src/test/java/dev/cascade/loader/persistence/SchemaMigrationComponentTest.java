package dev.cascade.loader.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cascade.testinfra.KafkaResource;
import dev.cascade.testinfra.PostgresResource;
import dev.cascade.testinfra.RegistryResource;
import dev.cascade.testinfra.SchemaHistory;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The loader's tables come from its Flyway migrations: on the test database, which starts without the schema, Flyway
 * created schema "loader" and ran V1 as a script (not adopted as a baseline), and Hibernate, which only validates,
 * added nothing.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RegistryResource.class, scope = TestResourceScope.GLOBAL)
class SchemaMigrationComponentTest {

  @ConfigProperty(name = "quarkus.hibernate-orm.schema-management.strategy")
  String hibernateStrategy;

  @Test
  void flywayCreatedTheSchemaAndRanV1AndHibernateOnlyValidates() {
    assertEquals(
        List.of(
            new SchemaHistory.Entry(null, "SCHEMA", "\"loader\"", true),
            new SchemaHistory.Entry("1", "SQL", "db/migration/V1__loader_tables.sql", true),
            new SchemaHistory.Entry("2", "SQL", "db/migration/V2__transfer_state.sql", true)),
        SchemaHistory.of("loader"));
    assertEquals(Set.of("flyway_schema_history", "loaded_zone", "processed_event", "transfer_state"),
        SchemaHistory.tables("loader"));
    assertEquals("validate", hibernateStrategy);
  }
}
