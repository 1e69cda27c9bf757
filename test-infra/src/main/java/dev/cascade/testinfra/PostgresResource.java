package dev.cascade.testinfra;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * PostgreSQL for {@code @QuarkusTest}: supplies the reactive datasource URL and credentials, so services without a
 * datasource never see those keys (stack-notes §3, problem 4).
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
