package dev.cascade.testinfra;

/**
 * How to reach the test PostgreSQL.
 *
 * @param url the reactive form {@code postgresql://host:port/database}, as {@code quarkus.datasource.reactive.url} takes it
 */
public record PostgresConnection(String url, String user, String password) {

  /** The same database for JDBC (plain JUnit checks, migrations). */
  public String jdbcUrl() {
    return "jdbc:" + url;
  }
}
