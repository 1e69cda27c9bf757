package dev.cascade.publisher.persistence;

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
 * The publisher's tables come from its Flyway migrations: on the test database, which starts without the schema, Flyway
 * created schema "publisher" and ran its migrations as scripts (V1 not adopted as a baseline), and Hibernate, which only validates,
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
  void flywayCreatedTheSchemaAndRanItsMigrationsAndHibernateOnlyValidates() {
    assertEquals(
        List.of(
            new SchemaHistory.Entry(null, "SCHEMA", "\"publisher\"", true),
            new SchemaHistory.Entry("1", "SQL", "db/migration/V1__publisher_tables.sql", true),
            new SchemaHistory.Entry("2", "SQL", "db/migration/V2__approval_digests.sql", true),
            new SchemaHistory.Entry("3", "SQL", "db/migration/V3__signed_version_trace.sql", true)),
        SchemaHistory.of("publisher"));
    assertEquals(Set.of("flyway_schema_history", "published", "signed_version"), SchemaHistory.tables("publisher"));
    assertEquals("validate", hibernateStrategy);
  }
}
