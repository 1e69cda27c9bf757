package dev.cascade.systemtests.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cascade.systemtests.harness.Dns;
import dev.cascade.systemtests.harness.ExternalTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Serial;

/**
 * One chaos run on a running {@link HaStack}: the zones are added, then for {@link Settings#faultsFor} zones are
 * changed and reloaded continuously, manual reviews are approved as they come, faults are injected one at a time, and
 * the publishers are sampled; then the faults stop and every zone must reach its latest file within {@link
 * Settings#convergence}. Everything random comes from {@link Settings#seed}, so a run's schedule of faults and changes
 * can be replayed (timing on a busy machine still varies).
 */
final class ChaosRun {

  /**
   * @param seed the seed of every random choice
   * @param faultsFor how long faults are injected and zones changed, at the least
   * @param minimumFaults how many faults the run injects at the least: on a busy machine a fault and its recovery (a
   *     restart waits until the process is ready) can take longer than a minute, and the fault phase then goes on past
   *     {@code faultsFor} until it has injected them, so a run always tests what it says
   * @param reviewOffZones zones with both reviews off (issue 9: 50)
   * @param manualZones zones with both reviews manual (issue 9: 5)
   * @param convergence how long after the last fault every zone may take to publish its latest file (issue 9: 60 s)
   * @param sessionTimeout the consumers' session timeout, which a paused signer must outlast to be fenced
   */
  record Settings(
      long seed, Duration faultsFor, int minimumFaults, int reviewOffZones, int manualZones, Duration convergence,
      Duration sessionTimeout) {}

  /**
   * The kinds of fault, as issue 9 lists them. {@code PARTITION_INSTANCE} cuts off the instance that runs in a network
   * namespace; without one (no namespaces on this machine) it is not drawn.
   */
  enum Fault { KILL_INSTANCE, KILL_BROKER, PAUSE_SIGNER, PARTITION_INSTANCE }

  /** What happened, and what went wrong. */
  record Report(
      List<String> faults, List<Duration> failovers, int changes, int samplesVerified, int samplesUnreachable,
      int apiErrors, Duration convergedAfter, List<String> violations) {

    String summary() {
      List<Duration> sorted = new ArrayList<>(failovers);
      Collections.sort(sorted);
      String failover = sorted.isEmpty() ? "none measured"
          : "median " + seconds(sorted.get(sorted.size() / 2)) + ", max " + seconds(sorted.get(sorted.size() - 1))
              + " over " + sorted.size();
      return String.join("\n",
          "faults injected: " + faults.size(),
          String.join("\n", faults.stream().map(f -> "  " + f).toList()),
          "zone changes: " + changes,
          "publisher samples verified by dnssec-verify: " + samplesVerified + " (" + samplesUnreachable
              + " unreachable during faults)",
          "operator API calls failed on every replica: " + apiErrors,
          "a changed zone published on every publisher after a kill: " + failover,
          "every zone at its latest file after the last fault: "
              + (convergedAfter == null ? "NOT REACHED" : seconds(convergedAfter)),
          "violations: " + (violations.isEmpty() ? "none" : "\n  " + String.join("\n  ", violations)));
    }

    private static String seconds(Duration duration) {
      return String.format("%.1f s", duration.toMillis() / 1000.0);
    }
  }

  private final HaStack stack;
  private final Settings settings;
  private final GatewayApi api;
  private final ChaosZones zones;
  private final Path work;
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private final List<String> faults = new CopyOnWriteArrayList<>();
  private final List<Duration> failovers = new CopyOnWriteArrayList<>();
  /** Digest of what a publisher served, by "zone serial": every replica must serve the same content for a serial. */
  private final Map<String, String> servedContent = new ConcurrentHashMap<>();
  private final AtomicInteger changes = new AtomicInteger();
  private final AtomicInteger verified = new AtomicInteger();
  private final AtomicInteger unreachable = new AtomicInteger();
  private final AtomicInteger apiErrors = new AtomicInteger();
  /** While zones are changed and publishers sampled: the fault phase. */
  private final AtomicBoolean faultPhase = new AtomicBoolean(true);
  /** While manual reviews are approved: the fault phase and the convergence after it. */
  private final AtomicBoolean approving = new AtomicBoolean(true);

  ChaosRun(HaStack stack, Settings settings) throws IOException {
    this.stack = stack;
    this.settings = settings;
    this.api = new GatewayApi(stack.replicas(), stack.apiToken());
    this.zones = new ChaosZones(stack.zoneDirectory(), settings.reviewOffZones(), settings.manualZones());
    this.work = Files.createDirectories(stack.zoneDirectory().resolve("transfers"));
  }

  Report run() throws Exception {
    ExecutorService background = Executors.newFixedThreadPool(3);
    for (String zone : zones.all()) {
      zones.create(zone);
      api.addZone(zone, zones.file(zone).toString(), zones.policy(zone));
    }
    background.submit(this::approveLoop);
    awaitAllPublished(Duration.ofMinutes(10));

    Random random = new Random(settings.seed());
    background.submit(() -> changeLoop(new Random(random.nextLong())));
    background.submit(() -> sampleLoop(new Random(random.nextLong())));
    long end = System.nanoTime() + settings.faultsFor().toNanos();
    while (System.nanoTime() < end || faults.size() < settings.minimumFaults()) {
      Thread.sleep(Duration.ofSeconds(8 + random.nextInt(12)).toMillis());
      inject(random);
    }
    faultPhase.set(false);
    stack.startMissing();
    Duration converged = awaitLatestEverywhere(settings.convergence());
    approving.set(false);
    background.shutdown();
    background.awaitTermination(2, TimeUnit.MINUTES);

    violations.addAll(LogInvariants.check(stack.kafkaBootstrap(), stack.registryUrl()));
    return new Report(List.copyOf(faults), List.copyOf(failovers), changes.get(), verified.get(), unreachable.get(),
        apiErrors.get(), converged, List.copyOf(violations));
  }

  /**
   * One fault, then the recovery an orchestrator would do, or the network: restart what was killed, resume what was
   * paused, heal what was cut off.
   */
  private void inject(Random random) throws InterruptedException {
    List<Fault> kinds = Stream.of(Fault.values())
        .filter(kind -> kind != Fault.PARTITION_INSTANCE || stack.isolated().isPresent()).toList();
    Fault fault = kinds.get(random.nextInt(kinds.size()));
    long started = System.nanoTime();
    switch (fault) {
      case KILL_INSTANCE -> {
        String service = HaStack.SERVICES.get(random.nextInt(HaStack.SERVICES.size()));
        int instance = 1 + random.nextInt(stack.replicas());
        String process = service + "-" + instance;
        stack.signal(process, "KILL");
        // A killed publisher serves nothing until it is restarted: the others must serve the change.
        int skipped = service.equals("publisher") ? instance : 0;
        String zone = zones.all().get(random.nextInt(zones.all().size()));
        Duration failover = changeAndAwaitEverywhere(zone, skipped);
        if (failover != null) {
          failovers.add(failover);
        }
        stack.startMissing();
        faults.add(fault + " " + process + ": the changed zone " + zone + " published everywhere after "
            + (failover == null ? "NEVER (60 s)" : failover.toMillis() + " ms"));
      }
      case KILL_BROKER -> {
        String broker = "broker-" + (1 + random.nextInt(stack.brokers()));
        stack.signal(broker, "KILL");
        Thread.sleep(5_000);
        stack.startMissing();
        faults.add(fault + " " + broker + ", restarted after " + elapsed(started).toSeconds() + " s");
      }
      case PAUSE_SIGNER -> {
        String signer = "signer-" + (1 + random.nextInt(stack.replicas()));
        stack.signal(signer, "STOP");
        Thread.sleep(settings.sessionTimeout().plusSeconds(5).toMillis());
        stack.signal(signer, "CONT");
        faults.add(fault + " " + signer + " for " + elapsed(started).toSeconds() + " s");
      }
      case PARTITION_INSTANCE -> {
        // The instance keeps running, cut off from the brokers, PostgreSQL and the registry: its partitions move to
        // the other replica after the session timeout, and once healed it is a zombie whose late writes are fenced.
        // It is healed after a fixed time, whether or not the change made meanwhile is out: a zone whose work the
        // instance held in an open transaction waits for that transaction, until the heal lets it end.
        String instance = stack.isolated().orElseThrow();
        Duration cutFor = settings.sessionTimeout().plusSeconds(5);
        stack.partition(true);
        CompletableFuture<Void> heal = CompletableFuture.runAsync(() -> stack.partition(false),
            CompletableFuture.delayedExecutor(cutFor.toMillis(), TimeUnit.MILLISECONDS));
        String zone = zones.all().get(random.nextInt(zones.all().size()));
        Duration failover = changeAndAwaitEverywhere(zone, 0);
        heal.join();
        faults.add(fault + " " + instance + " for " + cutFor.toSeconds() + " s: the zone " + zone + " changed at the cut"
            + " published"
            + " everywhere after " + (failover == null ? "NEVER (60 s)" : failover.toMillis() + " ms")
            + (failover != null && failover.compareTo(cutFor) < 0 ? " (during the partition)" : ""));
      }
    }
  }

  /**
   * Changes one zone right after a kill and returns how long until every publisher but {@code skippedPublisher} (0:
   * none) serves it, or a later change of the zone (the change loop may change it again meanwhile, and a version
   * replaced before it was published is never published); null after 60 s.
   */
  private Duration changeAndAwaitEverywhere(String zone, int skippedPublisher) {
    long started = System.nanoTime();
    try {
      long serial = zones.change(zone);
      api.reload(zone);
      changes.incrementAndGet();
      long deadline = started + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        if (servedEverywhere(zone, serial, skippedPublisher)) {
          return elapsed(started);
        }
        Thread.sleep(250);
      }
    } catch (IOException | RuntimeException e) {
      apiErrors.incrementAndGet();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return null;
  }

  private void changeLoop(Random random) {
    List<String> all = zones.all();
    while (faultPhase.get()) {
      String zone = all.get(random.nextInt(all.size()));
      try {
        zones.change(zone);
        api.reload(zone);
        changes.incrementAndGet();
      } catch (IOException | RuntimeException e) {
        apiErrors.incrementAndGet();
      }
      pause(1_000 + random.nextInt(1_000));
    }
  }

  /** Approves every pending version of the manual zones, as a diligent reviewer would. */
  private void approveLoop() {
    while (approving.get()) {
      for (String zone : zones.manual()) {
        JsonNode status;
        try {
          status = api.status(zone);
        } catch (RuntimeException e) {
          // A gateway restarting: the next round sees the zone again.
          continue;
        }
        // Each stage on its own: a refusal at one (a version superseded or approved since the status was read) must
        // not keep the reviewer from the other.
        for (String stage : List.of("unsigned", "signed")) {
          JsonNode version = status.path(stage);
          if ("pending".equals(version.path("reviewStatus").asText())) {
            try {
              api.approve(zone, stage, version.path("serial").asLong());
            } catch (RuntimeException e) {
              // Superseded, approved meanwhile, not yet at its gate, or a gateway restarting: the next round retries.
            }
          }
        }
      }
      pause(1_000);
    }
  }

  /** Transfers a random zone from a random publisher replica and has BIND's dnssec-verify check it. */
  private void sampleLoop(Random random) {
    List<String> all = zones.all();
    while (faultPhase.get()) {
      String zone = all.get(random.nextInt(all.size()));
      int instance = 1 + random.nextInt(stack.replicas());
      try {
        Name apex = Name.fromString(zone + ".");
        List<Record> records = Dns.axfr(apex, HaStack.port(Dns.PUBLISHED_PORT, instance));
        if (!records.isEmpty()) {
          check(zone, instance, records);
        }
      } catch (Exception e) {
        unreachable.incrementAndGet();
      }
      pause(2_000);
    }
  }

  private void check(String zone, int instance, List<Record> records) throws IOException {
    long serial = ((org.xbill.DNS.SOARecord) records.get(0)).getSerial();
    // An AXFR ends with the SOA again (RFC 5936 §2.2); the zone file has it once.
    List<String> lines =
        new ArrayList<>(records.subList(0, records.size() - 1).stream().map(Record::toString).toList());
    Path file = work.resolve(zone + "-" + instance + "-" + serial + ".zone");
    Files.write(file, lines);
    ExternalTool.Outcome bind = ExternalTool.run("dnssec-verify", "-o", zone + ".", file.toString());
    if (bind.exitCode() != 0) {
      violations.add(zone + " serial " + serial + " from publisher-" + instance + " fails dnssec-verify: "
          + bind.output().strip());
    } else {
      verified.incrementAndGet();
      Files.delete(file);
    }
    Collections.sort(lines);
    String digest = sha256(String.join("\n", lines));
    String other = servedContent.putIfAbsent(zone + " " + serial, digest);
    if (other != null && !other.equals(digest)) {
      violations.add(zone + " serial " + serial + ": publisher-" + instance + " serves other content than another"
          + " publisher did for the same serial");
    }
  }

  private void awaitAllPublished(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (String zone : zones.all()) {
      while (!servedEverywhere(zone, zones.serial(zone), 0)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(zone + " was not published on every publisher within " + timeout
              + "; status: " + api.status(zone));
        }
        Thread.sleep(500);
      }
    }
  }

  /** Waits until every zone's latest file is served by every publisher; returns how long that took, null if never. */
  private Duration awaitLatestEverywhere(Duration timeout) throws InterruptedException {
    long started = System.nanoTime();
    for (String zone : zones.all()) {
      while (!servedEverywhere(zone, zones.serial(zone), 0)) {
        if (elapsed(started).compareTo(timeout) > 0) {
          violations.add(zone + ": its latest file (serial " + zones.serial(zone) + ") was not published on every"
              + " publisher within " + timeout.toSeconds() + " s after the faults stopped; status: "
              + safeStatus(zone));
          return null;
        }
        Thread.sleep(250);
      }
    }
    return elapsed(started);
  }

  /**
   * Whether the zone's version loaded from the file with {@code fileSerial}, or a later one (RFC 1982), is what every
   * publisher replica but {@code skippedPublisher} (0: none) serves: the operator API names the signed serial of the
   * last publication, and each replica's SOA must show it.
   */
  private boolean servedEverywhere(String zone, long fileSerial, int skippedPublisher) {
    JsonNode published;
    try {
      published = api.status(zone).path("lastPublished");
    } catch (RuntimeException e) {
      return false;
    }
    if (published.isMissingNode() || published.isNull()
        || Serial.compare(published.path("loadedSerial").asLong(), fileSerial) < 0) {
      return false;
    }
    long signedSerial = published.path("signedSerial").asLong();
    try {
      Name apex = Name.fromString(zone + ".");
      for (int instance = 1; instance <= stack.replicas(); instance++) {
        if (instance == skippedPublisher) {
          continue;
        }
        OptionalLong served = Dns.soaSerial(apex, HaStack.port(Dns.PUBLISHED_PORT, instance));
        if (served.isEmpty() || served.getAsLong() != signedSerial) {
          return false;
        }
      }
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private String safeStatus(String zone) {
    try {
      return api.status(zone).toString();
    } catch (RuntimeException e) {
      return e.getMessage();
    }
  }

  private static Duration elapsed(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String sha256(String text) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha256.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
