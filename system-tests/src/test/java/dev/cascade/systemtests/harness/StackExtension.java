package dev.cascade.systemtests.harness;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives test methods (and constructors) the one {@link Stack} of the run. It is kept in the root store, so it starts
 * with the first test class that asks and JUnit closes it after the last; a failed start is remembered too, so later
 * classes fail at once instead of trying again.
 */
public final class StackExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(StackExtension.class);

  /** Either the running stack or why it could not start; closing it stops the stack. */
  private record Started(Stack stack, RuntimeException failure) implements AutoCloseable {
    @Override
    public void close() {
      if (stack != null) {
        stack.close();
      }
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Stack.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Started started =
        context
            .getRoot()
            .getStore(NAMESPACE)
            .computeIfAbsent(Started.class, key -> start(), Started.class);
    if (started.failure() != null) {
      throw started.failure();
    }
    return started.stack();
  }

  private static Started start() {
    try {
      return new Started(Stack.start(), null);
    } catch (RuntimeException e) {
      return new Started(null, e);
    }
  }
}
