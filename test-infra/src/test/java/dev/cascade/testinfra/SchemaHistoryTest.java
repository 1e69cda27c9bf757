package dev.cascade.testinfra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SchemaHistoryTest {

  /** A schema of this test's own, shaped as Flyway leaves one: its history table (the columns read) and a table. */
  @Test
  void readsTheHistoryInTheOrderAppliedAndTheSchemasTables() throws Exception {
    PostgresConnection postgres = Services.postgres();
    try (Connection connection =
            DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
        Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA IF EXISTS history_test CASCADE");
      statement.execute("CREATE SCHEMA history_test");
      statement.execute(
          "CREATE TABLE history_test.flyway_schema_history (installed_rank integer PRIMARY KEY,"
              + " version varchar(50), type varchar(20), script varchar(1000), success boolean)");
      statement.execute(
          "INSERT INTO history_test.flyway_schema_history VALUES"
              + " (2, '1', 'SQL', 'db/migration/V1__t.sql', true), (1, null, 'SCHEMA', '\"history_test\"', true)");
      statement.execute("CREATE TABLE history_test.t (id integer)");
    }
    assertEquals(
        List.of(
            new SchemaHistory.Entry(null, "SCHEMA", "\"history_test\"", true),
            new SchemaHistory.Entry("1", "SQL", "db/migration/V1__t.sql", true)),
        SchemaHistory.of("history_test"));
    assertEquals(Set.of("flyway_schema_history", "t"), SchemaHistory.tables("history_test"));
  }
}
