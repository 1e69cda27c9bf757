package dev.cascade.testinfra;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Every row of a service's schema in the test PostgreSQL, table after table, each table's rows in a stable order: what
 * a rebuild test compares before dropping the schema and after rebuilding it. Flyway's own history table is left out,
 * since it records when the migrations ran, not state from the log.
 */
public final class SchemaContents {

  private static final String FLYWAY_HISTORY = "flyway_schema_history";

  private SchemaContents() {}

  /**
   * The rows of every table of {@code schema}, keyed by table name (sorted), each row as its columns' text joined
   * by {@code |}, the rows sorted by that text.
   *
   * @param ignoredColumns {@code table.column} names left out of the rows: columns that record when this instance
   *     did something (such as when it handled an event), which no rebuild can know
   */
  public static Map<String, List<String>> of(String schema, Set<String> ignoredColumns) {
    Map<String, List<String>> contents = new LinkedHashMap<>();
    PostgresConnection postgres = Services.postgres();
    try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
        Statement statement = connection.createStatement()) {
      for (String table : SchemaHistory.tables(schema)) {
        if (table.equals(FLYWAY_HISTORY)) {
          continue;
        }
        List<String> rows = new ArrayList<>();
        try (ResultSet result = statement.executeQuery("SELECT * FROM " + quoted(schema) + "." + quoted(table))) {
          ResultSetMetaData columns = result.getMetaData();
          while (result.next()) {
            StringJoiner row = new StringJoiner("|");
            for (int i = 1; i <= columns.getColumnCount(); i++) {
              String column = columns.getColumnName(i);
              if (!ignoredColumns.contains(table + "." + column)) {
                row.add(column + "=" + result.getString(i));
              }
            }
            rows.add(row.toString());
          }
        }
        rows.sort(null);
        contents.put(table, rows);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the rows of schema " + schema, e);
    }
    return contents;
  }

  /** Drops {@code schema} with everything in it, as an operator does before rebuilding a service. */
  public static void drop(String schema) {
    PostgresConnection postgres = Services.postgres();
    try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
        Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA " + quoted(schema) + " CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop schema " + schema, e);
    }
  }

  /** A schema or table name as an SQL identifier; the services' names are lower case, so quoting changes nothing. */
  private static String quoted(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }
}
