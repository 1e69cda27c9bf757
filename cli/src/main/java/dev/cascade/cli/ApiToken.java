package dev.cascade.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the CLI finds its operator API token: {@code --token}, else {@code $CASCADE_TOKEN}, else the file that
 * {@code $CASCADE_TOKEN_FILE} names, else {@code ~/.config/cascade/token} (the XDG Base Directory default,
 * {@code $XDG_CONFIG_HOME/cascade/token} when that is set). {@code bin/cascade} points {@code $CASCADE_TOKEN_FILE}
 * at {@code .state/api-token}, the token {@code make up} writes. The file's first line is the token.
 */
final class ApiToken {

  private ApiToken() {}

  /** The token, or null if none is given and the default file does not exist (the API then answers 401). */
  static String find(String option, Map<String, String> env) {
    if (option != null) {
      return option.strip();
    }
    String given = env.get(Main.TOKEN_ENV);
    if (given != null && !given.isBlank()) {
      return given.strip();
    }
    String named = env.get(Main.TOKEN_FILE_ENV);
    if (named != null && !named.isBlank()) {
      return read(Path.of(named));
    }
    Path file = defaultFile(env);
    return file != null && Files.isRegularFile(file) ? read(file) : null;
  }

  private static Path defaultFile(Map<String, String> env) {
    String config = env.get("XDG_CONFIG_HOME");
    if (config != null && !config.isBlank()) {
      return Path.of(config, "cascade", "token");
    }
    String home = env.get("HOME");
    return home == null ? null : Path.of(home, ".config", "cascade", "token");
  }

  /** The file's first line; an error names the file, never its content. */
  private static String read(Path file) {
    try {
      String token = Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().orElse("").strip();
      if (token.isEmpty()) {
        throw new CliException("the token file " + file + " is empty");
      }
      return token;
    } catch (IOException e) {
      throw new CliException("cannot read the token file " + file + ": " + e.getClass().getSimpleName(), e);
    }
  }
}
