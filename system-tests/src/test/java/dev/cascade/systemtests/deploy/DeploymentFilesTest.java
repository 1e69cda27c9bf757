package dev.cascade.systemtests.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.cascade.events.Topics;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hand-written deployment files (docker-compose.yml, deploy/k8s/cascade, deploy/k8s/manifests) agree with the
 * code: same services, ports the services really listen on, topics from the Topics catalogue, environment variables
 * the services read, health probes on /q/health/ready. The second half runs the same checks on a copy of the
 * repository with one deliberate mistake each, to show that every check can fail.
 */
class DeploymentFilesTest {

  private static final CodeConfig CODE = CodeConfig.read(CodeConfig.repositoryRoot());

  @Test
  void everyServiceDirectoryIsDeployedByComposeManifestsAndChart() {
    assertEquals(
        Set.of("keymanager", "loader", "publisher", "review-gateway", "signer"), CODE.services().keySet());
    assertEquals(List.of(), new DeploymentFiles(CODE).servicesPresent());
  }

  @Test
  void everyPortIsOneTheServiceConfigurationHas() {
    assertEquals(List.of(), new DeploymentFiles(CODE).ports());
  }

  @Test
  void operatorApiAndDnsPortsAreTheDesignedOnes() {
    // Ports of reference Cascade (cascade-reference.md §0): 4539 API, 4540/4541 review servers, 4542 publication.
    assertEquals(4539, CODE.services().get("review-gateway").httpPort());
    assertTrue(CODE.services().get("publisher").ports().containsAll(Set.of(4540, 4541, 4542)),
        "publisher ports " + CODE.services().get("publisher").ports());
  }

  @Test
  void everyTopicIsInTheCatalogueAndCreatedWithItsRetention() {
    assertEquals(Topics.ALL.stream().map(Topics.Topic::name).collect(Collectors.toSet()), CODE.topics());
    assertEquals(Set.of("cascade.load-progress.v1", "cascade.sign-progress.v1", "cascade.publish-progress.v1",
        "cascade.roll-checks.v1"), CODE.progressTopics());
    assertEquals(3_600_000L, CODE.progressRetentionMs());
    assertEquals(List.of(), new DeploymentFiles(CODE).topics());
  }

  @Test
  void everyEnvironmentVariableIsOneTheServiceReads() {
    assertEquals(List.of(), new DeploymentFiles(CODE).environment());
  }

  @Test
  void everyServiceThatReadsTsigKeysIsGivenTheKek() {
    assertEquals(Set.of("keymanager", "loader", "publisher", "review-gateway"), CODE.services().values().stream()
        .filter(CodeConfig.Service::readsTsigKeys).map(CodeConfig.Service::name).collect(Collectors.toSet()));
    assertEquals(List.of(), new DeploymentFiles(CODE).tsigKek());
  }

  @Test
  void probesUseTheQuarkusHealthEndpoints() {
    assertEquals(List.of(), new DeploymentFiles(CODE).probes());
  }

  @Test
  void chartValuesMatchTheCodeAndShipTheRepositoryPolicies() {
    assertEquals(List.of(), new DeploymentFiles(CODE).chartValues());
  }

  @Test
  void propertyValuesYieldTheirDefaultPorts() {
    assertEquals(List.of(4540), CodeConfig.portsOf("${PUBLISHER_PORT:4540}"));
    assertEquals(List.of(4542), CodeConfig.portsOf("${A:${B:127.0.0.1:4542}}"));
    assertEquals(List.of(4541, 53), CodeConfig.portsOf("127.0.0.1:4541, [::1]:53"));
    assertEquals(List.of(), CodeConfig.portsOf("${NO_DEFAULT}"));
    assertEquals("CASCADE_PUBLISHER_PROVIDE_XFR_TO", CodeConfig.envName("cascade.publisher.provide-xfr-to"));
  }


  @Test
  void unknownEnvironmentVariableInComposeIsReported(@TempDir Path tmp) throws IOException {
    Path copy = copyOfRepository(tmp);
    YAMLMapper yaml = new YAMLMapper();
    ObjectNode compose = (ObjectNode) yaml.readTree(copy.resolve("docker-compose.yml").toFile());
    ((ObjectNode) compose.path("services").path("loader").path("environment"))
        .put("CASCADE_NO_SUCH_SETTING", "1");
    yaml.writeValue(copy.resolve("docker-compose.yml").toFile(), compose);

    List<String> problems = new DeploymentFiles(CodeConfig.read(copy)).environment();

    assertEquals(
        List.of("docker-compose.yml: loader sets CASCADE_NO_SUCH_SETTING, which loader does not read"), problems);
  }

  @Test
  void serviceThatReadsTsigKeysWithoutTheKekIsReported(@TempDir Path tmp) throws IOException {
    Path copy = copyOfRepository(tmp);
    YAMLMapper yaml = new YAMLMapper();
    ObjectNode compose = (ObjectNode) yaml.readTree(copy.resolve("docker-compose.yml").toFile());
    ((ObjectNode) compose.path("services").path("loader").path("environment")).remove("CASCADE_KEY_ENCRYPTION_KEY");
    yaml.writeValue(copy.resolve("docker-compose.yml").toFile(), compose);
    replace(copy.resolve("deploy/k8s/cascade/templates/publisher.yaml"),
        "{{- include \"cascade.kekEnv\" $ctx | nindent 12 }}", "");

    List<String> problems = new DeploymentFiles(CodeConfig.read(copy)).tsigKek();

    assertEquals(List.of(
        "docker-compose.yml: loader reads TSIG keys but is not given CASCADE_KEY_ENCRYPTION_KEY",
        "deploy/k8s/cascade/templates/publisher.yaml reads TSIG keys but is not given CASCADE_KEY_ENCRYPTION_KEY",
        "deploy/k8s/cascade/templates/publisher.yaml reads TSIG keys but is not given"
            + " CASCADE_PREVIOUS_KEY_ENCRYPTION_KEYS"), problems);
  }

  @Test
  void unknownTopicIsReported(@TempDir Path tmp) throws IOException {
    Path copy = copyOfRepository(tmp);
    replace(copy.resolve("deploy/k8s/manifests/job-topics.yaml"), "cascade.key-sets.v1",
        "cascade.key-sets.v1 cascade.key-rolls.v1");

    List<String> problems = new DeploymentFiles(CodeConfig.read(copy)).topics();

    assertEquals(
        List.of("deploy/k8s/manifests/job-topics.yaml: topic cascade.key-rolls.v1 is not in dev.cascade.events.Topics"),
        problems);
  }

  @Test
  void topicCreatedWithoutUnlimitedRetentionIsReported(@TempDir Path tmp) throws IOException {
    Path copy = copyOfRepository(tmp);
    replace(copy.resolve("docker-compose.yml"), "retention.ms=-1", "retention.ms=604800000");

    List<String> problems = new DeploymentFiles(CodeConfig.read(copy)).topics();

    List<String> factAndContentTopics =
        CODE.topics().stream().filter(t -> !CODE.progressTopics().contains(t)).toList();
    assertEquals(19, factAndContentTopics.size(), factAndContentTopics.toString());
    assertEquals(factAndContentTopics.stream().map(t -> "docker-compose.yml: creates topic " + t
        + " without unlimited retention (retention.ms=-1, retention.bytes=-1)").toList(), problems);
  }

  /** A fact topic among the progress topics would lose its history after an hour: the worst mistake here. */
  @Test
  void factTopicCreatedWithTheProgressTopicsShortRetentionIsReported(@TempDir Path tmp) throws IOException {
    Path copy = copyOfRepository(tmp);
    replace(copy.resolve("deploy/k8s/cascade/templates/job-topics.yaml"), "for t in cascade.load-progress.v1",
        "for t in cascade.key-sets.v1 cascade.load-progress.v1");

    List<String> problems = new DeploymentFiles(CodeConfig.read(copy)).topics();

    assertEquals(List.of("deploy/k8s/cascade/templates/job-topics.yaml: creates topic cascade.key-sets.v1 without"
        + " unlimited retention (retention.ms=-1, retention.bytes=-1)"), problems);
  }

  @Test
  void progressTopicCreatedWithoutItsShortRetentionIsReported(@TempDir Path tmp) throws IOException {
    Path copy = copyOfRepository(tmp);
    replace(copy.resolve("deploy/k8s/manifests/job-topics.yaml"), "retention.ms=3600000", "retention.ms=36000000");

    List<String> problems = new DeploymentFiles(CodeConfig.read(copy)).topics();

    assertEquals(CODE.progressTopics().stream().map(t -> "deploy/k8s/manifests/job-topics.yaml: creates progress topic "
        + t + " without its short retention (retention.ms=3600000)").toList(), problems);
  }

  @Test
  void portTheServiceDoesNotHaveIsReported(@TempDir Path tmp) throws IOException {
    Path copy = copyOfRepository(tmp);
    replace(copy.resolve("docker-compose.yml"), "\"127.0.0.1:4542:4542/tcp\"", "\"127.0.0.1:4543:4543/tcp\"");

    List<String> problems = new DeploymentFiles(CodeConfig.read(copy)).ports();

    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("docker-compose.yml: publisher publishes port 4543"), problems.get(0));
  }

  @Test
  void dockerfileExposingAnotherPortIsReported(@TempDir Path tmp) throws IOException {
    Path copy = copyOfRepository(tmp);
    replace(copy.resolve("services/loader/src/main/docker/Dockerfile.jvm"), "EXPOSE 8081", "EXPOSE 8080");

    List<String> problems = new DeploymentFiles(CodeConfig.read(copy)).ports();

    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("services/loader/src/main/docker/Dockerfile.jvm: EXPOSE 8080"),
        problems.get(0));
  }

  @Test
  void wrongReadinessPathIsReported(@TempDir Path tmp) throws IOException {
    Path copy = copyOfRepository(tmp);
    replace(copy.resolve("deploy/k8s/manifests/signer.yaml"), "path: " + DeploymentFiles.READY, "path: /q/health");

    List<String> problems = new DeploymentFiles(CodeConfig.read(copy)).probes();

    assertEquals(List.of("deploy/k8s/manifests: Deployment signer readiness probe is '/q/health'"), problems);
  }

  @Test
  void missingDeploymentAndNewServiceDirectoryAreReported(@TempDir Path tmp) throws IOException {
    Path copy = copyOfRepository(tmp);
    Files.delete(copy.resolve("deploy/k8s/manifests/keymanager.yaml"));
    Path newService = copy.resolve("services/resigner/src/main/resources");
    Files.createDirectories(newService);
    Files.writeString(newService.resolve("application.properties"), "quarkus.http.port=8085\n");

    List<String> problems = new DeploymentFiles(CodeConfig.read(copy)).servicesPresent();

    assertTrue(problems.contains("deploy/k8s/manifests: no Deployment or StatefulSet keymanager"), problems.toString());
    assertTrue(problems.contains("docker-compose.yml: no service built from services/resigner"), problems.toString());
    assertTrue(problems.contains(
        "deploy/k8s/cascade/templates/resigner.yaml: no Deployment or StatefulSet, and Service, for resigner"),
        problems.toString());
  }

  @Test
  void policiesThatDriftFromTheRepositoryAreReported(@TempDir Path tmp) throws IOException {
    Path copy = copyOfRepository(tmp);
    Path policy;
    try (Stream<Path> files = Files.list(copy.resolve("policies"))) {
      policy = files.filter(f -> f.toString().endsWith(".toml")).sorted().findFirst().orElseThrow();
    }
    Files.writeString(policy, Files.readString(policy) + "# changed\n");

    List<String> problems = new DeploymentFiles(CodeConfig.read(copy)).chartValues();

    assertEquals(2, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("deploy/k8s/cascade/values.yaml: policies differ"), problems.get(0));
    assertTrue(problems.get(1).startsWith("deploy/k8s/manifests: ConfigMap cascade-policies differs"), problems.get(1));
  }

  /**
   * Copies what the checks read: the deployment files, policies/, each service's pom.xml and src/main (not target/),
   * and the Topics catalogue. The unmodified copy passes every check (asserted here, so a mutation test fails only
   * for its own mistake).
   */
  private static Path copyOfRepository(Path tmp) throws IOException {
    Path root = CODE.root();
    Path copy = tmp.resolve("repo");
    List<Path> sources = List.of(
        root.resolve("docker-compose.yml"),
        root.resolve("deploy/k8s"),
        root.resolve("policies"),
        root.resolve("services"),
        root.resolve("shared-events/src/main/java/dev/cascade/events/Topics.java"));
    for (Path source : sources) {
      if (!Files.exists(source)) {
        continue;
      }
      Files.walkFileTree(source, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          String name = dir.getFileName().toString();
          boolean skipped = name.equals("target") || (name.equals("test") && dir.getParent().endsWith("src"));
          return skipped ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Path target = copy.resolve(root.relativize(file).toString());
          Files.createDirectories(target.getParent());
          Files.copy(file, target);
          return FileVisitResult.CONTINUE;
        }
      });
    }
    assertEquals(List.of(), new DeploymentFiles(CodeConfig.read(copy)).problems(), "unmodified copy");
    return copy;
  }

  private static void replace(Path file, String from, String to) throws IOException {
    String text = Files.readString(file);
    assertTrue(text.contains(from), file + " contains " + from);
    Files.writeString(file, text.replace(from, to));
  }
}
