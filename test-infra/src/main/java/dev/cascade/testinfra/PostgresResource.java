package dev.cascade.testinfra;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * PostgreSQL for {@code @QuarkusTest}: supplies the reactive datasource URL and credentials, so services without a
 * datasource never see those keys (stack-notes §3, problem 4). The services derive the JDBC URL that Flyway migrates
 * over from the reactive one ({@code jdbc:${quarkus.datasource.reactive.url}}), so it follows without a key here.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

  @Override
  public Map<String, String> start() {
    PostgresConnection postgres = Services.postgres();
    return Map.of(
        "quarkus.datasource.reactive.url", postgres.url(),
        "quarkus.datasource.username", postgres.user(),
        "quarkus.datasource.password", postgres.password());
  }

  /** The shutdown hook stops the database once the JVM ends. */
  @Override
  public void stop() {}
}
