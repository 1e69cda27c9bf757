package dev.cascade.testinfra;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * The Apicurio registry for {@code @QuarkusTest}: the connector-wide URL the Avro serde reads, and {@code
 * cascade.registry.url} for code that writes with raw clients (zone content).
 */
public class RegistryResource implements QuarkusTestResourceLifecycleManager {

  @Override
  public Map<String, String> start() {
    String url = Services.registryUrl();
    return Map.of(
        "mp.messaging.connector.smallrye-kafka.apicurio.registry.url", url,
        "cascade.registry.url", url);
  }

  /** The shutdown hook stops the registry once the JVM ends. */
  @Override
  public void stop() {}
}
