package dev.cascade.events.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegisterSchemasTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return RegisterSchemas.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void helpPrintsTheUsage() {
    assertEquals(0, run("--help"));
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: RegisterSchemas --registry <url>"));
  }

  @Test
  void withoutARegistryItIsAUsageError() {
    assertEquals(2, run());
    assertTrue(err().startsWith("ERROR: --registry <url> is required\nusage:"), err());
  }

  @Test
  void anUnknownArgumentIsAUsageError() {
    assertEquals(2, run("--registry", "http://127.0.0.1:1/apis/registry/v2", "--force"));
    assertTrue(err().startsWith("ERROR: unexpected argument '--force'"), err());
  }

  /** Nothing listens on a port just released: the step fails at its first request, with exit status 1. */
  @Test
  void aRegistryThatDoesNotAnswerFailsTheStep() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port + "/apis/registry/v2";

    assertEquals(1, run("--registry=" + url + "/"));

    assertEquals("registry " + url + "\n", out.toString(StandardCharsets.UTF_8));
    assertEquals("ERROR: cannot reach the registry at " + url + "/admin/rules/COMPATIBILITY\n", err());
  }
}
