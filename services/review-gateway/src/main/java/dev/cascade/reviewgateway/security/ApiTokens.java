package dev.cascade.reviewgateway.security;

import dev.cascade.reviewgateway.domain.GateDecision;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The tokens file ({@code cascade.api.tokens-file}): one person a line, {@code <person> <role>[,<role>…]
 * <sha256-hex>}, where the last field is the SHA-256 of the person's bearer token, so the file holds no secret that
 * opens the API ({@code printf %s "$TOKEN" | sha256sum}). Blank lines and lines starting with {@code #} are skipped.
 * A person's name is what {@code zone history} and the decision on the log name; {@code policy} and {@code hook} are
 * the automatic reviewers' names and may not be taken.
 *
 * <p>A line that does not parse refuses the whole file, naming the line number only: the file holds hashes, and an
 * error must never quote a file's content (issue 13, item 4).
 */
public final class ApiTokens {

  /** What a token stands for. */
  public record Holder(String person, Set<String> roles) {}

  private static final Pattern PERSON = Pattern.compile("[A-Za-z0-9._@+-]{1,64}");
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

  private final Map<String, Holder> byDigest;

  private ApiTokens(Map<String, Holder> byDigest) {
    this.byDigest = Map.copyOf(byDigest);
  }

  /** Reads {@code file}; an {@link IllegalArgumentException} names the file and the line that does not parse. */
  public static ApiTokens read(Path file) throws IOException {
    return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
  }

  static ApiTokens parse(List<String> lines, String name) {
    Map<String, Holder> byDigest = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] fields = line.split("\\s+");
      String where = name + " line " + (i + 1);
      if (fields.length != 3 || !PERSON.matcher(fields[0]).matches() || !SHA256_HEX.matcher(fields[2]).matches()) {
        throw new IllegalArgumentException(where + " is not '<person> <role>[,<role>...] <sha256 of the token>'");
      }
      if (GateDecision.AUTOMATIC_REVIEWERS.contains(fields[0])) {
        throw new IllegalArgumentException(where + " names a person 'policy' or 'hook', the automatic reviewers' names");
      }
      Set<String> roles = new LinkedHashSet<>(Arrays.asList(fields[1].split(",")));
      if (!ApiRoles.ALL.containsAll(roles)) {
        throw new IllegalArgumentException(where + " names a role other than viewer, operator and approver");
      }
      if (byDigest.put(fields[2].toLowerCase(), new Holder(fields[0], Set.copyOf(roles))) != null) {
        throw new IllegalArgumentException(where + " repeats the token of an earlier line");
      }
    }
    return new ApiTokens(byDigest);
  }

  /** Who {@code token} belongs to, if anyone. */
  public Optional<Holder> holder(String token) {
    return Optional.ofNullable(byDigest.get(sha256Hex(token)));
  }

  /** The hex SHA-256 of a token's UTF-8 bytes, as the file holds it. */
  public static String sha256Hex(String token) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
