package dev.cascade.testinfra;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a service's schema in the test PostgreSQL holds, read over plain JDBC: the rows Flyway recorded in its history
 * table and the tables there. A service's test uses it to show that its migrations, not Hibernate, made its tables.
 */
public final class SchemaHistory {

  /**
   * One row of {@code flyway_schema_history}.
   *
   * @param version the migration's version; Flyway's own "schema created" row has none (null)
   * @param type {@code SQL} for a script that ran, {@code SCHEMA} when Flyway created the schema, {@code BASELINE}
   *     when it adopted existing tables instead of running the scripts up to that version
   * @param script the script's path under the classpath ({@code db/migration/V1__x.sql}); for {@code SCHEMA} the
   *     schema it created, quoted (Flyway's own record)
   * @param success whether it completed
   */
  public record Entry(String version, String type, String script, boolean success) {}

  private SchemaHistory() {}

  /** The rows of {@code <schema>.flyway_schema_history} in the order Flyway applied them. */
  public static List<Entry> of(String schema) {
    String sql =
        "SELECT version, type, script, success FROM " + quoted(schema) + ".flyway_schema_history"
            + " ORDER BY installed_rank";
    try (Connection connection = connect();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      List<Entry> entries = new ArrayList<>();
      while (rows.next()) {
        entries.add(
            new Entry(rows.getString("version"), rows.getString("type"), rows.getString("script"),
                rows.getBoolean("success")));
      }
      return entries;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the Flyway history of schema " + schema, e);
    }
  }

  /** The names of the tables in {@code schema}, sorted. */
  public static Set<String> tables(String schema) {
    String sql =
        "SELECT table_name FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE'";
    try (Connection connection = connect();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, schema);
      try (ResultSet rows = statement.executeQuery()) {
        Set<String> names = new TreeSet<>();
        while (rows.next()) {
          names.add(rows.getString(1));
        }
        return names;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot list the tables of schema " + schema, e);
    }
  }

  private static Connection connect() throws SQLException {
    PostgresConnection postgres = Services.postgres();
    return DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
  }

  /** A schema name as an SQL identifier; the services' schema names are lower case, so quoting changes nothing. */
  private static String quoted(String schema) {
    return '"' + schema.replace("\"", "\"\"") + '"';
  }
}
