package dev.cascade.testinfra;

import dev.cascade.events.registry.SchemaRegistration;

/**
 * A registry as the tests' stacks get it: prepared by the production deploy step ({@link SchemaRegistration}, run by
 * {@code deploy/local/stack.sh}, compose and the chart), so the global FULL_TRANSITIVE rule is set and every event
 * schema is registered before any service sends. The services do not register schemas, in tests neither, so every
 * test that sends an event shows that the deploy step registered enough.
 */
public final class RegistrySetup {

  private RegistrySetup() {}

  /**
   * Runs the deploy step on the registry at {@code url} ({@code http://host:port/apis/registry/v2}), printing what it
   * registered to the test's output.
   */
  public static void prepare(String url) {
    SchemaRegistration.run(url, System.out);
  }
}
