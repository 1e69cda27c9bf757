package dev.cascade.keymanager.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.testinfra.KafkaResource;
import dev.cascade.testinfra.PostgresResource;
import dev.cascade.testinfra.RegistryResource;
import dev.cascade.testinfra.SchemaHistory;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * The key manager's tables come from its Flyway migrations: on the test database, which starts without the schema,
 * Flyway created schema "keymanager" and ran V1 and V2 as scripts (not adopted as a baseline), and Hibernate, which
 * only validates, added nothing. V2 gives the keys of a schema made before key rolls all their role's jobs.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RegistryResource.class, scope = TestResourceScope.GLOBAL)
class SchemaMigrationComponentTest {

  @ConfigProperty(name = "quarkus.hibernate-orm.schema-management.strategy")
  String hibernateStrategy;

  @ConfigProperty(name = "quarkus.datasource.jdbc.url")
  String jdbcUrl;

  @ConfigProperty(name = "quarkus.datasource.username")
  String user;

  @ConfigProperty(name = "quarkus.datasource.password")
  String password;

  @Test
  void flywayCreatedTheSchemaAndRanItsMigrationsAndHibernateOnlyValidates() {
    assertEquals(
        List.of(
            new SchemaHistory.Entry(null, "SCHEMA", "\"keymanager\"", true),
            new SchemaHistory.Entry("1", "SQL", "db/migration/V1__keymanager_tables.sql", true),
            new SchemaHistory.Entry("2", "SQL", "db/migration/V2__key_rolls.sql", true),
            new SchemaHistory.Entry("3", "SQL", "db/migration/V3__ds_submission.sql", true),
            new SchemaHistory.Entry("4", "SQL", "db/migration/V4__propagation_checks.sql", true),
            new SchemaHistory.Entry("5", "SQL", "db/migration/V5__hsm_keys.sql", true),
            new SchemaHistory.Entry("6", "SQL", "db/migration/V6__key_removal.sql", true)),
        SchemaHistory.of("keymanager"));
    assertEquals(Set.of("flyway_schema_history", "processed_event", "zone_key", "key_roll", "zone_policy",
            "ds_request"),
        SchemaHistory.tables("keymanager"));
    assertEquals("validate", hibernateStrategy);
  }

  /** A schema at V2 with a zone's policy, migrated to the latest: its checks and parent settings are the defaults. */
  @Test
  void policiesFromBeforePropagationChecksGetTheDefaults() throws Exception {
    String schema = "keymanager_v3_" + System.nanoTime();
    Flyway.configure().dataSource(jdbcUrl, user, password).schemas(schema).createSchemas(true).target("2").load()
        .migrate();
    try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
        Statement statement = connection.createStatement()) {
      statement.executeUpdate("insert into " + schema + ".zone_policy values ('example.', 'default', 'ECDSAP256SHA256',"
          + " false, 0, 0, 0, 3600, 'KSK_DOUBLE_SIGNATURE', 'ZSK_PRE_PUBLISH', 'sred', 'sred', 'sred', 'sred')");
      Flyway.configure().dataSource(jdbcUrl, user, password).schemas(schema).load().migrate();
      try (ResultSet rows = statement.executeQuery("select publication_nameservers, parent_nameservers, ds_algorithm"
          + " from " + schema + ".zone_policy")) {
        assertTrue(rows.next());
        assertEquals(List.of("", "", "SHA-256"), List.of(rows.getString(1), rows.getString(2), rows.getString(3)));
      }
      statement.executeUpdate("drop schema " + schema + " cascade");
    }
  }

  /** A schema at V1, with a KSK, a ZSK and a CSK, migrated to V2 in a schema of its own. */
  @Test
  void keysFromBeforeKeyRollsDoAllTheirRolesJobs() throws Exception {
    String schema = "keymanager_v2_" + System.nanoTime();
    Flyway.configure().dataSource(jdbcUrl, user, password).schemas(schema).createSchemas(true).target("1").load()
        .migrate();
    try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
        Statement statement = connection.createStatement()) {
      for (String role : List.of("KSK", "ZSK", "CSK")) {
        statement.executeUpdate("insert into " + schema + ".zone_key (id, zone, key_tag, algorithm, flags, role,"
            + " public_key, wrapped_private_key, dnskey_ttl, created_at, activated_by) values (gen_random_uuid(),"
            + " 'example.', " + role.hashCode() % 60000 + ", 13, 257, '" + role + "', 'AA==', '\\x00', 3600, now(),"
            + " 'e')");
      }
      Flyway.configure().dataSource(jdbcUrl, user, password).schemas(schema).load().migrate();
      Map<String, String> uses = new TreeMap<>();
      try (ResultSet rows = statement.executeQuery("select role, published, signs_keys, signs_zone, at_parent from "
          + schema + ".zone_key")) {
        while (rows.next()) {
          uses.put(rows.getString(1), rows.getBoolean(2) + " " + rows.getBoolean(3) + " " + rows.getBoolean(4) + " "
              + rows.getBoolean(5));
        }
      }
      assertEquals(Map.of("KSK", "true true false true", "ZSK", "true false true false", "CSK", "true true true true"),
          uses);
      statement.executeUpdate("drop schema " + schema + " cascade");
    }
  }
}
