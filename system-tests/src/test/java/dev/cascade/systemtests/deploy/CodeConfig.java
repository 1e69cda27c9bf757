package dev.cascade.systemtests.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the code says about itself, read from the source tree: the service directories, each service's configuration
 * ({@code src/main/resources/application.properties}, and the settings its Java code declares with
 * {@code @ConfigProperty} or {@code @ConfigMapping}), and the topic catalogue ({@code dev.cascade.events.Topics}).
 * The deployment files are checked against these facts.
 */
final class CodeConfig {

  /**
   * Properties of Quarkus extensions that deployment files may set although no application.properties names them,
   * each with the extension (artifactId in the service's pom.xml) that reads it. Only the OTLP endpoint: its
   * default (localhost:4317) is right on a developer machine and wrong everywhere else.
   */
  static final Map<String, String> EXTENSION_PROPERTIES =
      Map.of("quarkus.otel.exporter.otlp.endpoint", "quarkus-opentelemetry");

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_]+)");
  private static final Pattern CONFIG_PROPERTY =
      Pattern.compile(
          "@ConfigProperty\\s*\\(\\s*name\\s*=\\s*\"([^\"]+)\"(?:\\s*,\\s*defaultValue\\s*=\\s*\"([^\"]*)\")?");
  private static final Pattern CONFIG_MAPPING =
      Pattern.compile("@ConfigMapping\\s*\\(\\s*prefix\\s*=\\s*\"([^\"]+)\"");
  /** An abstract member of a mapping interface with the annotations before it: {@code @WithDefault("1") int a();}. */
  private static final Pattern MAPPING_MEMBER =
      Pattern.compile("((?:@\\w+(?:\\(\"[^\"]*\"\\))?\\s*)*)[\\w<>,.?\\s]+?\\s(\\w+)\\(\\)\\s*;");
  private static final Pattern WITH_NAME = Pattern.compile("@WithName\\(\"([^\"]*)\"\\)");
  private static final Pattern WITH_DEFAULT = Pattern.compile("@WithDefault\\(\"([^\"]*)\"\\)");
  private static final Pattern TOPIC_CONSTANT =
      Pattern.compile("static\\s+final\\s+String\\s+([A-Z0-9_]+)\\s*=\\s*\"([^\"]+)\"");
  /** The list of the progress topics' constants: {@code PROGRESS = List.of(LOAD_PROGRESS, ...)}. */
  private static final Pattern PROGRESS_LIST =
      Pattern.compile("static\\s+final\\s+List<String>\\s+PROGRESS\\s*=\\s*List\\.of\\(([A-Z0-9_,\\s]*)\\)");
  private static final Pattern PROGRESS_RETENTION =
      Pattern.compile("static\\s+final\\s+long\\s+PROGRESS_RETENTION_MS\\s*=\\s*([0-9_]+)L?\\s*;");
  /** The services that each write a dead-letter topic: {@code DEAD_LETTER_WRITERS = List.of("loader", ...)}. */
  private static final Pattern DEAD_LETTER_WRITERS =
      Pattern.compile("static\\s+final\\s+List<String>\\s+DEAD_LETTER_WRITERS\\s*=\\s*List\\.of\\(([^)]*)\\)");
  /** How a dead-letter topic is named: {@code deadLetters(String service) { return "cascade." + service + "..."; }}. */
  private static final Pattern DEAD_LETTER_NAME = Pattern.compile(
      "deadLetters\\(String\\s+(\\w+)\\)\\s*\\{\\s*return\\s+\"([^\"]*)\"\\s*\\+\\s*\\1\\s*\\+\\s*\"([^\"]*)\"\\s*;");
  private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"");
  private static final Pattern INNER_DEFAULT = Pattern.compile("\\$\\{[A-Za-z0-9_.\\-]+(?::([^{}]*))?\\}");

  /**
   * One service: its directory name and directory, its application.properties (parsed, profile-prefixed keys included,
   * and as text) and the settings its code declares, each with its default or null.
   */
  record Service(
      String name, Path dir, Properties properties, String propertiesText, Map<String, String> codeProperties) {

    /**
     * Every environment variable this service reads: the ${NAME placeholders of its application.properties, the
     * environment form of every setting it names there or in its code, and the extension settings of
     * {@link #EXTENSION_PROPERTIES} whose extension it depends on.
     */
    Set<String> envVarsRead() {
      Set<String> env = new TreeSet<>();
      Matcher m = PLACEHOLDER.matcher(propertiesText);
      while (m.find()) {
        env.add(m.group(1));
      }
      for (String key : properties.stringPropertyNames()) {
        env.add(envName(withoutProfile(key)));
      }
      for (String name : codeProperties.keySet()) {
        env.add(envName(name));
      }
      String pom = readOrEmpty(dir.resolve("pom.xml"));
      for (Map.Entry<String, String> e : EXTENSION_PROPERTIES.entrySet()) {
        if (pom.contains("<artifactId>" + e.getValue() + "</artifactId>")) {
          env.add(envName(e.getKey()));
        }
      }
      return env;
    }

    /**
     * Whether this service reads the TSIG keys of {@code cascade.tsig-keys.v1}: its code follows the topic through
     * service-support's {@code TsigKeyFeed}, or injects the keyring {@code FollowedTsigKeyring} produces (as a {@code
     * TsigKeyring} or dnssec-core's {@code TsigKeys}). Such a service needs the KEK to unwrap (or, as their writer, to
     * wrap) the secrets.
     */
    boolean readsTsigKeys() {
      Path sources = dir.resolve("src/main/java");
      if (!Files.isDirectory(sources)) {
        return false;
      }
      try (Stream<Path> files = Files.walk(sources)) {
        return files.filter(p -> p.toString().endsWith(".java")).map(CodeConfig::readOrEmpty)
            .anyMatch(java -> java.contains("TsigKeyFeed") || java.contains("service.tsig.TsigKeyring;")
                || java.contains("dnssec.tsig.TsigKeys;"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** The HTTP port of the prod profile ({@code quarkus.http.port}), or -1 if the service does not set one. */
    int httpPort() {
      List<Integer> ports = portsOf(properties.getProperty("quarkus.http.port", ""));
      return ports.isEmpty() ? -1 : ports.get(0);
    }

    /**
     * Every port this service listens on in the prod profile: {@code quarkus.http.port} and every {@code cascade.*}
     * setting whose name says port (the publisher's DNS ports), with the value of application.properties or else the
     * code's default. Profile-prefixed keys ({@code %test.}) are not deployment configuration, and port 0 (a random
     * port, for tests) is no port to deploy.
     */
    Set<Integer> ports() {
      Map<String, String> values = new TreeMap<>();
      codeProperties.forEach((k, v) -> values.put(k, v == null ? "" : v));
      for (String key : properties.stringPropertyNames()) {
        if (!key.startsWith("%")) {
          values.put(key, properties.getProperty(key));
        }
      }
      Set<Integer> ports = new TreeSet<>();
      values.forEach((key, value) -> {
        if (key.equals("quarkus.http.port") || (key.startsWith("cascade.") && key.endsWith("port"))) {
          portsOf(value).stream().filter(p -> p > 0).forEach(ports::add);
        }
      });
      return ports;
    }
  }

  /**
   * The topic catalogue: every topic (the constants and the dead-letter topic of each of {@code DEAD_LETTER_WRITERS}),
   * the progress topics among them, and the retention those get.
   */
  private record Catalogue(Set<String> topics, Set<String> progressTopics, long progressRetentionMs) {}

  private final Path root;
  private final Map<String, Service> services;
  private final Catalogue catalogue;

  private CodeConfig(Path root, Map<String, Service> services, Catalogue catalogue) {
    this.root = root;
    this.services = services;
    this.catalogue = catalogue;
  }

  /** Reads the facts from the repository at {@code root}. */
  static CodeConfig read(Path root) {
    Map<String, Service> services = new TreeMap<>();
    Path servicesDir = root.resolve("services");
    try (Stream<Path> dirs = Files.list(servicesDir)) {
      for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
        String name = dir.getFileName().toString();
        if (name.startsWith(".")) {
          continue;
        }
        Path file = dir.resolve("src/main/resources/application.properties");
        Properties properties = new Properties();
        String text = "";
        if (Files.isRegularFile(file)) {
          text = Files.readString(file);
          try (Reader r = Files.newBufferedReader(file)) {
            properties.load(r);
          }
        }
        services.put(name, new Service(name, dir, properties, text, codeProperties(dir)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new CodeConfig(root, services, readTopics(root));
  }

  /** Locates the repository root: the nearest ancestor of the working directory that has services/ and shared-events/. */
  static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isDirectory(dir.resolve("services")) && Files.isDirectory(dir.resolve("shared-events"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
  }

  Path root() {
    return root;
  }

  Map<String, Service> services() {
    return services;
  }

  Set<String> topics() {
    return catalogue.topics();
  }

  /** The topics of throw-away progress reports ({@code Topics.PROGRESS}), created with a short retention. */
  Set<String> progressTopics() {
    return catalogue.progressTopics();
  }

  /** {@code Topics.PROGRESS_RETENTION_MS}: the retention of the progress topics. */
  long progressRetentionMs() {
    return catalogue.progressRetentionMs();
  }

  /** The MicroProfile Config environment form of a property name: non-alphanumerics become '_', upper case. */
  static String envName(String property) {
    return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
  }

  static String withoutProfile(String key) {
    return key.startsWith("%") && key.indexOf('.') > 0 ? key.substring(key.indexOf('.') + 1) : key;
  }

  /**
   * The ports a property value names once every {@code ${NAME:default}} is replaced by its default: a bare number,
   * or the port of each {@code host:port} item of a comma-separated list.
   */
  static List<Integer> portsOf(String value) {
    String resolved = value;
    String previous;
    do {
      previous = resolved;
      Matcher m = INNER_DEFAULT.matcher(resolved);
      resolved = m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) == null ? "" : r.group(1)));
    } while (!resolved.equals(previous));
    Set<Integer> ports = new LinkedHashSet<>();
    for (String item : resolved.split(",")) {
      String s = item.trim();
      Matcher bare = Pattern.compile("(\\d{1,5})").matcher(s);
      Matcher hostPort = Pattern.compile(".*:(\\d{1,5})").matcher(s);
      if (bare.matches()) {
        ports.add(Integer.parseInt(bare.group(1)));
      } else if (hostPort.matches()) {
        ports.add(Integer.parseInt(hostPort.group(1)));
      }
    }
    return List.copyOf(ports);
  }

  private static Catalogue readTopics(Path root) {
    Path file = root.resolve("shared-events/src/main/java/dev/cascade/events/Topics.java");
    String java = readOrEmpty(file);
    Map<String, String> byConstant = new TreeMap<>();
    Matcher m = TOPIC_CONSTANT.matcher(java);
    while (m.find()) {
      byConstant.put(m.group(1), m.group(2));
    }
    if (byConstant.isEmpty()) {
      throw new IllegalStateException("no topic constants in " + file);
    }
    Matcher list = PROGRESS_LIST.matcher(java);
    Matcher retention = PROGRESS_RETENTION.matcher(java);
    if (!list.find() || !retention.find()) {
      throw new IllegalStateException("no PROGRESS list or PROGRESS_RETENTION_MS in " + file);
    }
    Set<String> progress = new TreeSet<>();
    for (String constant : list.group(1).split(",")) {
      String topic = byConstant.get(constant.trim());
      if (topic == null) {
        throw new IllegalStateException(
            "PROGRESS names " + constant.trim() + ", which is no topic constant in " + file);
      }
      progress.add(topic);
    }
    Set<String> topics = new TreeSet<>(byConstant.values());
    Matcher writers = DEAD_LETTER_WRITERS.matcher(java);
    if (writers.find()) {
      Matcher name = DEAD_LETTER_NAME.matcher(java);
      if (!name.find()) {
        throw new IllegalStateException("DEAD_LETTER_WRITERS, but no deadLetters(String) naming topics, in " + file);
      }
      Matcher writer = QUOTED.matcher(writers.group(1));
      while (writer.find()) {
        topics.add(name.group(2) + writer.group(1) + name.group(3));
      }
    }
    return new Catalogue(topics, progress, Long.parseLong(retention.group(1).replace("_", "")));
  }

  /**
   * The settings the service's Java code declares, with their defaults (null if none): {@code @ConfigProperty} names,
   * and the members of {@code @ConfigMapping} interfaces (prefix + {@code @WithName} or the kebab-case member name).
   */
  private static Map<String, String> codeProperties(Path serviceDir) throws IOException {
    Map<String, String> properties = new TreeMap<>();
    Path sources = serviceDir.resolve("src/main/java");
    if (!Files.isDirectory(sources)) {
      return properties;
    }
    try (Stream<Path> files = Files.walk(sources)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String java = Files.readString(f);
        Matcher property = CONFIG_PROPERTY.matcher(java);
        while (property.find()) {
          properties.put(property.group(1), property.group(2));
        }
        Matcher mapping = CONFIG_MAPPING.matcher(java);
        if (mapping.find()) {
          String prefix = mapping.group(1);
          Matcher member = MAPPING_MEMBER.matcher(java.substring(mapping.end()));
          while (member.find()) {
            String annotations = member.group(1);
            Matcher withName = WITH_NAME.matcher(annotations);
            Matcher withDefault = WITH_DEFAULT.matcher(annotations);
            String name = withName.find() ? withName.group(1) : kebab(member.group(2));
            properties.put(prefix + "." + name, withDefault.find() ? withDefault.group(1) : null);
          }
        }
      }
    }
    return properties;
  }

  private static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }

  static String readOrEmpty(Path file) {
    try {
      return Files.isRegularFile(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
