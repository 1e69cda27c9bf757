package dev.cascade.testinfra;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Kafka for {@code @QuarkusTest}: {@code @WithTestResource(value = KafkaResource.class, scope =
 * TestResourceScope.GLOBAL)}. The broker outlives the test application (it stops with the JVM), so several test
 * classes and modules' restarts share it.
 */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

  @Override
  public Map<String, String> start() {
    return Map.of("kafka.bootstrap.servers", Services.kafkaBootstrap());
  }

  /** The shutdown hook stops the broker once the JVM ends. */
  @Override
  public void stop() {}
}
