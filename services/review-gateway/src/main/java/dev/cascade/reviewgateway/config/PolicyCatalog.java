package dev.cascade.reviewgateway.config;

import dev.cascade.reviewgateway.domain.Policy;
import dev.cascade.reviewgateway.domain.PolicyException;
import dev.cascade.reviewgateway.domain.PolicyParser;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The policies in {@code cascade.policy-dir}: one {@code <name>.toml} per policy, hidden files ignored (as in the
 * reference, cascade-reference.md §4). Files are read at each use, so an edit takes effect at the next
 * {@code zone add}; a zone keeps the snapshot of its policy taken when it was added, or at the last
 * {@code policy reload} or {@code zone set-policy} (domain {@code PolicyReload}).
 */
@ApplicationScoped
public class PolicyCatalog {

  /**
   * Every policy file, read: the usable policies by name, the errors of the others, and the names of the policies
   * whose file exists but is not usable.
   */
  public record Listing(TreeMap<String, Policy> policies, List<String> errors, Set<String> unusable) {}

  private final Path directory;

  public PolicyCatalog(@ConfigProperty(name = "cascade.policy-dir", defaultValue = "policies") String directory) {
    this.directory = Path.of(directory).toAbsolutePath().normalize();
  }

  public Path directory() {
    return directory;
  }

  /**
   * The policy called {@code name}, empty if there is no such file.
   *
   * @throws PolicyException if the file exists but is not a valid policy
   */
  public Optional<Policy> find(String name) throws PolicyException {
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      return Optional.empty(); // never lets a name reach outside the directory
    }
    Path file = directory.resolve(name + ".toml");
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    return Optional.of(read(name, file));
  }

  /** Reads every policy file of the directory. */
  public Listing list() {
    TreeMap<String, Policy> policies = new TreeMap<>();
    List<String> errors = new ArrayList<>();
    Set<String> unusable = new TreeSet<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.toml")) {
      for (Path file : files) {
        String fileName = file.getFileName().toString();
        if (fileName.startsWith(".") || !Files.isRegularFile(file)) {
          continue;
        }
        String name = fileName.substring(0, fileName.length() - ".toml".length());
        try {
          policies.put(name, read(name, file));
        } catch (PolicyException e) {
          errors.add(e.getMessage());
          unusable.add(name);
        }
      }
    } catch (IOException e) {
      errors.add(directory + ": cannot list policy directory: " + e.getMessage());
    }
    return new Listing(policies, errors, unusable);
  }

  private static Policy read(String name, Path file) throws PolicyException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new PolicyException(file + ": cannot read: " + e.getMessage(), e);
    }
    return PolicyParser.parse(name, file.toString(), text);
  }
}
