package dev.cascade.testinfra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresRoundTripTest {

  @Test
  void selectOneAnswersWithTheGivenCredentials() throws Exception {
    PostgresConnection postgres = Services.postgres();
    assertTrue(postgres.url().startsWith("postgresql://"), postgres.url());
    try (Connection connection =
            DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("select 1")) {
      assertTrue(result.next());
      assertEquals(1, result.getInt(1));
    }
  }

  @Test
  void theResourceHandsQuarkusTheReactiveDatasource() {
    PostgresConnection postgres = Services.postgres();
    assertEquals(
        Map.of(
            "quarkus.datasource.reactive.url", postgres.url(),
            "quarkus.datasource.username", postgres.user(),
            "quarkus.datasource.password", postgres.password()),
        new PostgresResource().start());
  }
}
