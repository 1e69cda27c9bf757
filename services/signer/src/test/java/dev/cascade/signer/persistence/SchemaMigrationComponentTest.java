package dev.cascade.signer.persistence;

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
 * The signer's tables come from its Flyway migrations: on the test database, which starts without the schema, Flyway
 * created schema "signer" and ran its migrations as scripts (V1 not adopted as a baseline), and Hibernate, which only validates,
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
            new SchemaHistory.Entry(null, "SCHEMA", "\"signer\"", true),
            new SchemaHistory.Entry("1", "SQL", "db/migration/V1__signer_tables.sql", true),
            new SchemaHistory.Entry("2", "SQL", "db/migration/V2__approval_digests.sql", true),
            new SchemaHistory.Entry("3", "SQL", "db/migration/V3__key_use.sql", true),
            new SchemaHistory.Entry("4", "SQL", "db/migration/V4__cds_and_cdnskey.sql", true),
            new SchemaHistory.Entry("5", "SQL", "db/migration/V5__hsm_keys.sql", true),
            new SchemaHistory.Entry("6", "SQL", "db/migration/V6__manifest_trace.sql", true)),
        SchemaHistory.of("signer"));
    assertEquals(
        Set.of(
            "flyway_schema_history",
            "key_set",
            "signing",
            "unsigned_manifest",
            "unsigned_rejection",
            "zone_key",
            "zone_policy",
            "zone_serial"),
        SchemaHistory.tables("signer"));
    assertEquals("validate", hibernateStrategy);
  }
}
