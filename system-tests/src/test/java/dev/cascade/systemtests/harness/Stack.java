package dev.cascade.systemtests.harness;

import dev.cascade.service.database.DatabaseRoles;
import dev.cascade.testinfra.ApicurioRegistryProcess;
import dev.cascade.testinfra.FreePort;
import dev.cascade.testinfra.RepositoryRoot;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * The whole of Cascade as separate processes on this machine: a KRaft Kafka JVM, PostgreSQL (zonky's embedded
 * cluster, a postgres process), the Apicurio 2.4.2 registry JVM and the five packaged services on their real default
 * ports, configured only through the environment variables the deployment uses. Logs go to
 * {@code system-tests/target/system-test-logs/<name>.log}.
 *
 * <p>The services use the design's fixed ports (4539-4542, 8081-8084), so the demo stack must not run at the same time;
 * {@link #start()} checks that first.
 */
public final class Stack implements AutoCloseable {

  /**
   * The loader's zone-size limit for this stack (cascade.loader.max-zone-bytes; the default, 256 MiB, holds a 1 M
   * delegation zone). 64 MiB holds every zone the tests load, the 100 k delegation zone (about 5 MiB) included, and
   * lets a test write a zone over the limit in well under a second.
   */
  public static final long MAX_ZONE_BYTES = 64L << 20;

  private final Path repositoryRoot;
  private final Path workDirectory;
  private final Path logDirectory;
  private final List<AutoCloseable> infrastructure = new ArrayList<>();
  private final Map<CascadeService, ServiceProcess> services = new EnumMap<>(CascadeService.class);
  private String kafkaBootstrap;
  private String registryUrl;
  private TraceReceiver traces;
  private Cli cli;
  private boolean closed;

  private Stack(Path repositoryRoot) {
    this.repositoryRoot = repositoryRoot;
    Path target = repositoryRoot.resolve("system-tests/target");
    this.workDirectory = target.resolve("system-test-work");
    this.logDirectory = target.resolve("system-test-logs");
  }

  /** Starts everything and returns once every service reports ready; on failure stops what it started. */
  public static Stack start() {
    Stack stack = new Stack(RepositoryRoot.find());
    Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "stop-system-test-stack"));
    try {
      stack.boot();
      return stack;
    } catch (Exception e) {
      stack.close();
      throw new IllegalStateException("the system-test stack did not start: " + e.getMessage(), e);
    }
  }

  private void boot() throws Exception {
    Path cliJar = repositoryRoot.resolve("cli/target/cascade-cli.jar");
    List<Path> missing = new ArrayList<>();
    for (CascadeService service : CascadeService.values()) {
      if (!Files.isRegularFile(service.jar(repositoryRoot))) {
        missing.add(service.jar(repositoryRoot));
      }
    }
    if (!Files.isRegularFile(cliJar)) {
      missing.add(cliJar);
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException("packaged jars missing " + missing + "; build with ./mvnw -B package -DskipTests");
    }
    ApicurioRegistryProcess.jar(repositoryRoot);
    requireFreePorts();

    deleteRecursively(workDirectory);
    deleteRecursively(logDirectory);
    Files.createDirectories(workDirectory.resolve("zones"));
    Files.createDirectories(logDirectory);
    Path policies = writePolicies();

    // The three infrastructure services are independent: start them side by side.
    CompletableFuture<KafkaBrokerProcess> kafka =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return KafkaBrokerProcess.start(workDirectory.resolve("kafka"), logDirectory.resolve("kafka.log"));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
              }
            });
    CompletableFuture<ApicurioRegistryProcess> registry =
        CompletableFuture.supplyAsync(
            () ->
                ApicurioRegistryProcess.start(
                    repositoryRoot, FreePort.next(), logDirectory.resolve("apicurio-registry.log")));
    CompletableFuture<EmbeddedPostgres> postgres = CompletableFuture.supplyAsync(Stack::startPostgres);
    try {
      CompletableFuture.allOf(kafka, registry, postgres).join();
    } finally {
      // Keep whatever did start, so close() stops it even when another part failed. Services stop first, then
      // these in this order: the registry, Kafka, PostgreSQL.
      Stream.of(registry, kafka, postgres)
          .filter(future -> future.isDone() && !future.isCompletedExceptionally())
          .forEach(future -> infrastructure.add((AutoCloseable) future.join()));
    }
    kafkaBootstrap = kafka.join().bootstrap();
    registryUrl = registry.join().url();

    traces = TraceReceiver.start();
    infrastructure.add(traces);

    Map<String, String> environment = new HashMap<>();
    environment.put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrap);
    // Every service exports its spans to the stack's own receiver over OTLP/HTTP, as to a collector (TraceIT), and
    // in batches every 500 ms instead of every 5 s (the quarkus.otel.bsp.schedule.delay default), so a test waits less.
    environment.put("OTEL_EXPORTER_ENABLED", "true");
    environment.put("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", traces.endpoint());
    environment.put("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf");
    environment.put("QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "500ms");
    // A SIGKILLed consumer keeps its partitions until its group session times out (Kafka's default 45 s), so each
    // crash test would wait that long for the restarted service. The broker's minimum session, 6 s
    // (group.min.session.timeout.ms default), keeps them short; Quarkus hands KAFKA_* variables to every Kafka client.
    environment.put("KAFKA_SESSION_TIMEOUT_MS", "6000");
    environment.put("KAFKA_HEARTBEAT_INTERVAL_MS", "2000");
    environment.put("APICURIO_REGISTRY_URL", registryUrl);
    environment.put("DB_URL", "postgresql://127.0.0.1:" + postgres.join().getPort() + "/postgres");
    Map<String, String> rolePasswords = provisionDatabaseRoles(postgres.join());
    environment.put("CASCADE_KEY_ENCRYPTION_KEY", randomSecret());
    environment.put("CASCADE_POLICY_DIR", policies.toString());
    // The operator API needs a token (docs/operations.md, "Authentication and roles"): one person with every role,
    // whose token the CLI gets in CASCADE_TOKEN.
    String apiToken = randomSecret();
    Path tokens = workDirectory.resolve("api-tokens");
    Files.writeString(tokens, "system-tests viewer,operator,approver " + HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(apiToken.getBytes(StandardCharsets.UTF_8))) + "\n");
    environment.put("CASCADE_API_TOKENS_FILE", tokens.toString());
    // Zone files only from the stack's own directory (its zones/ and each test's directory): the loader and the
    // gateway refuse any other (docs/operations.md, "Authentication and roles").
    environment.put("CASCADE_ZONE_SOURCE_DIRS", workDirectory.toString());
    // Roll steps are due every few seconds with a policy in seconds (KeyRollYearIT); the default check, every minute
    // (application.properties), would make each step wait up to a minute. Every other zone's keys are valid for days.
    environment.put("CASCADE_KEYMANAGER_ROLL_CHECK_INTERVAL", "PT1S");
    environment.put("CASCADE_LOADER_MAX_ZONE_BYTES", Long.toString(MAX_ZONE_BYTES));
    environment.put("CASCADE_PUBLISHER_UNSIGNED_REVIEW_PORT", Integer.toString(Dns.UNSIGNED_REVIEW_PORT));
    environment.put("CASCADE_PUBLISHER_SIGNED_REVIEW_PORT", Integer.toString(Dns.SIGNED_REVIEW_PORT));
    environment.put("CASCADE_PUBLISHER_PUBLICATION_PORT", Integer.toString(Dns.PUBLISHED_PORT));
    // The chain's secondaries (ChainServers): transfers from their addresses need its TSIG key, and every published
    // serial is notified to them, signed. Given to every service, as the review-gateway checks key use with them.
    environment.put("CASCADE_PUBLISHER_PROVIDE_XFR_TO", ChainServers.PROVIDE_XFR_TO);
    environment.put("CASCADE_PUBLISHER_SEND_NOTIFY_TO", ChainServers.SEND_NOTIFY_TO);
    for (CascadeService service : CascadeService.values()) {
      Map<String, String> own = new HashMap<>(environment);
      own.put("QUARKUS_HTTP_PORT", Integer.toString(service.httpPort()));
      // Each service as its own role, owner of its schema only, as deployments run it (issue 9).
      DatabaseRoles.ServiceRole role = DatabaseRoles.ALL.stream()
          .filter(r -> r.service().equals(service.directory())).findFirst().orElseThrow();
      own.put("DB_USER", role.role());
      own.put("DB_PASSWORD", rolePasswords.get(role.service()));
      Path directory = Files.createDirectories(workDirectory.resolve(service.directory()));
      Path app = AppSnapshot.of(service.jar(repositoryRoot).getParent(), directory.resolve("quarkus-app"));
      services.put(
          service,
          new ServiceProcess(
              service, app.resolve("quarkus-run.jar"), directory, own,
              logDirectory.resolve(service.directory() + ".log")));
    }
    services.values().forEach(ServiceProcess::launch);
    services.values().forEach(ServiceProcess::awaitReady);
    cli = new Cli(AppSnapshot.of(cliJar, workDirectory.resolve("cli/cascade-cli.jar")), workDirectory, apiToken);
    // The key the publisher's settings name: without it every NOTIFY to the chain's secondaries stays unsent.
    cli.ok("tsig", "add", ChainServers.SECONDARY_KEY.name(), ChainServers.SECONDARY_KEY.algorithm(),
        ChainServers.SECONDARY_KEY.secret());
  }

  /** The operator's command line. */
  public Cli cli() {
    return cli;
  }

  public String kafkaBootstrap() {
    return kafkaBootstrap;
  }

  public String registryUrl() {
    return registryUrl;
  }

  /** The spans every service exported, over OTLP. */
  public TraceReceiver traces() {
    return traces;
  }

  /** A service's log: its output across restarts. */
  public Path log(CascadeService service) {
    return logDirectory.resolve(service.directory() + ".log");
  }

  /** A directory for the tests' zone files; the loader reads them by absolute path. */
  public Path zoneDirectory() {
    return workDirectory.resolve("zones");
  }

  /** The review-gateway's policy directory: a policy file written here is used by the next {@code zone add}. */
  public Path policyDirectory() {
    return workDirectory.resolve("policies");
  }

  /** A new, empty directory for a test's own servers and files, under the stack's work directory. */
  public Path testDirectory(String name) throws IOException {
    Path directory = workDirectory.resolve("tests").resolve(name);
    deleteRecursively(directory);
    return Files.createDirectories(directory);
  }

  /** SIGKILL, as a crash or an OOM kill would end it. */
  public void kill(CascadeService service) {
    services.get(service).kill();
  }

  /** Starts a killed (or stopped) service again with the same environment and waits until it is ready. */
  public void restart(CascadeService service) {
    ServiceProcess process = services.get(service);
    if (process.isAlive()) {
      process.stop();
    }
    process.launch();
    process.awaitReady();
  }

  /** Idempotent: JUnit closes the stack after the last test, the shutdown hook only if the JVM ends early. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    // Side by side: each service may take its full grace period to drain.
    services.values().parallelStream().forEach(ServiceProcess::stop);
    for (AutoCloseable closeable : infrastructure) {
      try {
        closeable.close();
      } catch (Exception e) {
        System.err.println("stopping " + closeable + " failed: " + e);
      }
    }
  }

  /** The design's fixed ports: fail fast and clearly when the demo stack (or a leftover run) holds one. */
  private static void requireFreePorts() {
    List<Integer> dns = List.of(Dns.UNSIGNED_REVIEW_PORT, Dns.SIGNED_REVIEW_PORT, Dns.PUBLISHED_PORT);
    List<Integer> tcp = new ArrayList<>(dns);
    for (CascadeService service : CascadeService.values()) {
      tcp.add(service.httpPort());
    }
    List<Integer> busy = new ArrayList<>();
    tcp.stream().filter(port -> !canBind(port, false)).forEach(busy::add);
    dns.stream().filter(port -> !canBind(port, true)).forEach(busy::add);
    if (!busy.isEmpty()) {
      throw new IllegalStateException(
          "ports " + busy + " are in use: stop the demo stack (make down) or a leftover test run first");
    }
  }

  /** Whether a socket can bind {@code 127.0.0.1:port} right now (UDP for DNS, TCP for everything). */
  private static boolean canBind(int port, boolean udp) {
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    try (java.io.Closeable bound =
        udp ? new DatagramSocket(address) : new ServerSocket(port, 1, address.getAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The shipped policies, plus a {@code review} policy (both gates manual) if the checkout has none. */
  private Path writePolicies() throws IOException {
    Path directory = Files.createDirectories(workDirectory.resolve("policies"));
    try (Stream<Path> shipped = Files.list(repositoryRoot.resolve("policies"))) {
      for (Path file : shipped.filter(path -> path.toString().endsWith(".toml")).toList()) {
        Files.copy(file, directory.resolve(file.getFileName()));
      }
    }
    Path review = directory.resolve("review.toml");
    if (!Files.exists(review)) {
      Files.writeString(
          review,
          "version = \"v1\"\n\n[loader.review]\nmode = \"manual\"\n\n[signer.review]\nmode = \"manual\"\n");
    }
    return directory;
  }

  private static EmbeddedPostgres startPostgres() {
    try {
      return EmbeddedPostgres.builder().start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start PostgreSQL", e);
    }
  }

  /**
   * The deploy step that gives each service a role of its own; returns each role's password by service. The cluster
   * trusts loopback connections, so passwords are not checked here; the roles' rights are.
   */
  private static Map<String, String> provisionDatabaseRoles(EmbeddedPostgres postgres) throws java.sql.SQLException {
    Map<String, String> passwords = new HashMap<>();
    for (DatabaseRoles.ServiceRole role : DatabaseRoles.ALL) {
      passwords.put(role.service(), randomSecret());
    }
    try (Connection admin = postgres.getPostgresDatabase().getConnection()) {
      DatabaseRoles.provision(admin, passwords);
    }
    return passwords;
  }

  /**
   * 32 random bytes, base64: a fresh AES-256 key-encryption key per run, as CASCADE_KEY_ENCRYPTION_KEY expects, or a
   * password.
   */
  private static String randomSecret() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  private static void deleteRecursively(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
