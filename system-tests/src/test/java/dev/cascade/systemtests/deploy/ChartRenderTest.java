package dev.cascade.systemtests.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import dev.cascade.events.Topics;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart rendered by Helm itself (helm-java: Helm's Go library through JNI), as `helm template` would, with its
 * default values and with HA values. Hook objects (the topic and registry Jobs) are not part of this rendering; they
 * are checked as text by {@link DeploymentFilesTest}.
 */
class ChartRenderTest {

  private static final Path ROOT = CodeConfig.repositoryRoot();
  private static final Path CHART = ROOT.resolve("deploy/k8s/cascade");
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final List<String> SERVICES = List.of("keymanager", "loader", "publisher", "review-gateway", "signer");
  private static final String MANAGED_BY = "app.kubernetes.io/managed-by";

  /** The typed model of each kind the deployment files use, by "apiVersion/kind". */
  private static final Map<String, Class<?>> API_TYPES = Map.of(
      "apps/v1/Deployment", Deployment.class,
      "apps/v1/StatefulSet", StatefulSet.class,
      "v1/Service", Service.class,
      "v1/ConfigMap", ConfigMap.class,
      "v1/Secret", Secret.class,
      "v1/ServiceAccount", ServiceAccount.class,
      "batch/v1/Job", Job.class,
      "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class,
      "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class);

  /**
   * Reads the typed model with unknown fields refused: the model's classes keep unknown fields aside in an "any
   * setter" (additionalProperties), which is turned off here so that Jackson's FAIL_ON_UNKNOWN_PROPERTIES applies.
   */
  private static final ObjectMapper STRICT = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
        private static final long serialVersionUID = 1L;

        @Override
        public Boolean hasAnySetter(Annotated a) {
          return false;
        }
      });

  /** The plain manifests are the chart rendered with its defaults, object for object, but for Helm's own label. */
  @Test
  void plainManifestsAreTheChartWithItsDefaults() throws IOException {
    Map<String, JsonNode> rendered = byKindAndName(render(Map.of()));
    Map<String, JsonNode> manifests = new TreeMap<>();
    try (Stream<Path> files = Files.list(ROOT.resolve("deploy/k8s/manifests"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        byKindAndName(Files.readString(file)).forEach(manifests::put);
      }
    }
    manifests.keySet().removeIf(key -> key.startsWith("Job/"));
    rendered.values().forEach(ChartRenderTest::dropHelmLabel);

    assertEquals(rendered.keySet(), manifests.keySet());
    rendered.forEach((key, object) -> assertEquals(object, manifests.get(key), key));
  }

  /**
   * Every service that reads TSIG keys gets the KEK and the previous ones from the KEK secret, as the keymanager does:
   * without them it cannot unwrap (or, review-gateway, wrap) a TSIG secret.
   */
  @Test
  void everyServiceThatReadsTsigKeysGetsTheKekFromItsSecret() {
    Map<String, JsonNode> objects = byKindAndName(render(Map.of()));
    CodeConfig code = CodeConfig.read(ROOT);
    List<String> readers = code.services().values().stream()
        .filter(CodeConfig.Service::readsTsigKeys).map(CodeConfig.Service::name).sorted().toList();
    assertEquals(List.of("keymanager", "loader", "publisher", "review-gateway"), readers);
    for (String name : readers) {
      Map<String, JsonNode> env = new TreeMap<>();
      workload(objects, name).path("spec").path("template").path("spec").path("containers").get(0).path("env")
          .forEach(item -> env.put(item.path("name").asText(), item));
      for (String variable : DeploymentFiles.KEK_VARIABLES) {
        assertTrue(env.containsKey(variable), name + " gets " + variable);
        assertEquals("cascade-kek", env.get(variable).path("valueFrom").path("secretKeyRef").path("name").asText(),
            name + " " + variable);
      }
    }
  }

  @Test
  void defaultsRunTwoPublishersAndOneReplicaOfEveryOtherService() {
    Map<String, JsonNode> objects = byKindAndName(render(Map.of()));

    for (String name : List.of("keymanager", "loader", "review-gateway", "signer")) {
      assertEquals(1, objects.get("Deployment/" + name).path("spec").path("replicas").asInt(), name);
    }
    assertEquals(2, objects.get("StatefulSet/publisher").path("spec").path("replicas").asInt());
    assertEquals(Set.of("PodDisruptionBudget/publisher"), kinds(objects, "PodDisruptionBudget"));
  }

  /** Every replica of a service prefers a node of its own; with "hard" it requires one. */
  @Test
  void replicasOfOneServiceAreSpreadOverNodes() {
    for (String mode : List.of("soft", "hard")) {
      Map<String, JsonNode> objects = byKindAndName(render(Map.of("ha.antiAffinity", mode)));
      for (String name : SERVICES) {
        JsonNode workload = workload(objects, name);
        JsonNode antiAffinity = workload.path("spec").path("template").path("spec").path("affinity")
            .path("podAntiAffinity");
        JsonNode term = mode.equals("hard")
            ? antiAffinity.path("requiredDuringSchedulingIgnoredDuringExecution").path(0)
            : antiAffinity.path("preferredDuringSchedulingIgnoredDuringExecution").path(0).path("podAffinityTerm");
        assertEquals("kubernetes.io/hostname", term.path("topologyKey").asText(), mode + " " + name);
        assertEquals(name, term.path("labelSelector").path("matchLabels").path("app").asText(), mode + " " + name);
      }
    }
  }

  /** With more than one replica each, every service gets a budget that lets a drain evict one pod at a time. */
  @Test
  void everyScaledServiceHasADisruptionBudget() {
    Map<String, Object> values = new TreeMap<>();
    SERVICES.forEach(name -> values.put("services." + name + ".replicas", "3"));

    Map<String, JsonNode> objects = byKindAndName(render(values));

    for (String name : SERVICES) {
      assertEquals(3, workload(objects, name).path("spec").path("replicas").asInt(), name);
      JsonNode budget = objects.get("PodDisruptionBudget/" + name);
      assertEquals(1, budget.path("spec").path("maxUnavailable").asInt(), name);
      assertEquals(name, budget.path("spec").path("selector").path("matchLabels").path("app").asText(), name);
    }
  }

  /** Each publisher replica holds every zone: a consumer group and a schema of its own, named by its pod index. */
  @Test
  void eachPublisherReplicaHasItsOwnGroupAndSchema() {
    JsonNode publisher = byKindAndName(render(Map.of())).get("StatefulSet/publisher");
    Map<String, JsonNode> env = new TreeMap<>();
    publisher.path("spec").path("template").path("spec").path("containers").path(0).path("env")
        .forEach(item -> env.put(item.path("name").asText(), item));

    assertEquals("metadata.labels['apps.kubernetes.io/pod-index']",
        env.get("POD_INDEX").path("valueFrom").path("fieldRef").path("fieldPath").asText());
    assertEquals("publisher-$(POD_INDEX)", env.get("CASCADE_GROUP_ID").path("value").asText());
    assertEquals("publisher_$(POD_INDEX)", env.get("CASCADE_DB_SCHEMA").path("value").asText());
    assertEquals("Parallel", publisher.path("spec").path("podManagementPolicy").asText());
    assertEquals("publisher-pods", publisher.path("spec").path("serviceName").asText());
  }

  /** As KafkaTopics, the topics are the catalogue's, with the settings the topic Job gives them. */
  @Test
  void strimziTopicsAreTheCatalogueWithTheJobsSettings() {
    Map<String, JsonNode> objects = byKindAndName(render(Map.of("kafka.topics.strimzi.enabled", "true")));

    Map<String, JsonNode> topics = new TreeMap<>();
    objects.values().stream().filter(o -> o.path("kind").asText().equals("KafkaTopic"))
        .forEach(t -> topics.put(t.path("spec").path("topicName").asText(), t));
    assertEquals(Topics.ALL.stream().map(Topics.Topic::name).collect(Collectors.toCollection(TreeSet::new)),
        topics.keySet());
    topics.forEach((name, topic) -> {
      JsonNode spec = topic.path("spec");
      JsonNode config = spec.path("config");
      assertEquals("cascade", topic.path("metadata").path("labels").path("strimzi.io/cluster").asText(), name);
      assertEquals(12, spec.path("partitions").asInt(), name);
      assertEquals(3, spec.path("replicas").asInt(), name);
      assertEquals(2, config.path("min.insync.replicas").asInt(), name);
      assertEquals("false", config.path("unclean.leader.election.enable").asText(), name);
      boolean progress = Topics.PROGRESS.contains(name);
      assertEquals(progress ? "3600000" : "-1", config.path("retention.ms").asText(), name);
      assertEquals(progress ? "" : "-1", config.path("retention.bytes").asText(), name);
      assertEquals(name.endsWith("-content.v1") ? "1048588" : "", config.path("max.message.bytes").asText(), name);
      assertEquals(name.equals(Topics.TSIG_KEYS) ? "compact" : "", config.path("cleanup.policy").asText(), name);
    });
  }

  /** A loader, signer or keymanager replica beyond the partition count would hold no zone: the chart refuses it. */
  @Test
  void morePartitionedReplicasThanPartitionsAreRefused() {
    Exception refused = assertThrows(Exception.class, () -> render(Map.of("services.signer.replicas", "13")));

    assertTrue(refused.getMessage().contains("services.signer.replicas is 13, more than the 12 partitions"),
        refused.getMessage());
    assertEquals(13, workload(byKindAndName(render(Map.of("services.publisher.replicas", "13"))), "publisher")
        .path("spec").path("replicas").asInt());
  }

  /**
   * Pod Security Standards "restricted" for every pod: the services' as Helm renders them, the deploy-step Jobs' (hooks,
   * which this rendering leaves out) in the plain manifests, whose templates use the same helpers.
   */
  @Test
  void everyPodMeetsTheRestrictedPodSecurityStandard() throws IOException {
    Map<String, JsonNode> pods = new TreeMap<>();
    Map<String, JsonNode> objects = byKindAndName(render(Map.of()));
    SERVICES.forEach(name -> pods.put(name, workload(objects, name).path("spec").path("template").path("spec")));
    for (String job : List.of("job-topics", "job-registry-rules", "job-db-roles")) {
      String manifest = Files.readString(ROOT.resolve("deploy/k8s/manifests/" + job + ".yaml"));
      byKindAndName(manifest).values().forEach(o -> pods.put(job, o.path("spec").path("template").path("spec")));
      String template = Files.readString(CHART.resolve("templates/" + job + ".yaml"));
      for (String part : List.of("cascade.podSecurityContext", "cascade.containerSecurityContext", "cascade.tmpMount",
          "cascade.tmpVolume", ".Values.jobs.resources")) {
        assertTrue(template.contains(part), job + " template uses " + part);
      }
    }
    assertEquals(8, pods.size());

    pods.forEach((name, pod) -> {
      JsonNode security = pod.path("securityContext");
      assertTrue(security.path("runAsNonRoot").asBoolean(), name);
      assertEquals("RuntimeDefault", security.path("seccompProfile").path("type").asText(), name);
      assertEquals(1, pod.path("volumes").findValues("emptyDir").size(), name + " has a /tmp emptyDir");
      for (JsonNode container : pod.path("containers")) {
        JsonNode own = container.path("securityContext");
        assertEquals("false", own.path("allowPrivilegeEscalation").asText(), name);
        assertTrue(own.path("readOnlyRootFilesystem").asBoolean(), name);
        assertEquals("ALL", own.path("capabilities").path("drop").path(0).asText(), name);
        assertTrue(container.path("resources").path("requests").has("memory"), name);
        assertTrue(container.path("resources").path("limits").has("memory"), name);
        assertTrue(container.path("volumeMounts").findValuesAsText("mountPath").contains("/tmp"), name);
      }
    });
  }

  /**
   * Each service lets in its HTTP port from its namespace only, and the publisher its publication port from the
   * secondaries; with networkPolicy.enabled false there are none.
   */
  @Test
  void eachServiceHasANetworkPolicyForWhatItServes() {
    Map<String, JsonNode> objects = byKindAndName(render(Map.of()));

    assertEquals(SERVICES.stream().map(name -> "NetworkPolicy/" + name).collect(Collectors.toSet()),
        kinds(objects, "NetworkPolicy"));
    for (String name : SERVICES) {
      JsonNode spec = objects.get("NetworkPolicy/" + name).path("spec");
      assertEquals(name, spec.path("podSelector").path("matchLabels").path("app").asText());
      assertEquals("[\"Ingress\"]", spec.path("policyTypes").toString(), name);
      JsonNode namespace = spec.path("ingress").path(0);
      assertEquals("{}", namespace.path("from").path(0).path("podSelector").toString(), name);
      assertEquals("http", namespace.path("ports").path(0).path("port").asText(), name);
      assertEquals(name.equals("publisher") ? 2 : 1, spec.path("ingress").size(), name);
    }
    JsonNode publication = objects.get("NetworkPolicy/publisher").path("spec").path("ingress").path(1);
    assertEquals("0.0.0.0/0", publication.path("from").path(0).path("ipBlock").path("cidr").asText());
    assertEquals(Set.of("4542"), publication.path("ports").findValuesAsText("port").stream().collect(Collectors.toSet()));
    assertTrue(objects.get("NetworkPolicy/publisher").path("spec").path("ingress").path(0).path("ports")
        .findValuesAsText("port").containsAll(List.of("4540", "4541")));

    assertEquals(Set.of(), kinds(byKindAndName(render(Map.of("networkPolicy.enabled", "false"))), "NetworkPolicy"));
  }

  /** {@code helm lint --strict}: a template or chart metadata problem Helm itself reports fails the build. */
  @Test
  void theChartPassesHelmsStrictLint() {
    LintResult lint = new Helm(CHART).lint().strict().call();

    assertFalse(lint.isFailed(), String.join("\n", lint.getMessages()));
  }

  /**
   * Every object the chart renders (defaults, HA values, Strimzi topics, no network policies) and every plain manifest,
   * the deploy-step Jobs included, read into the Kubernetes API's typed model (fabric8 kubernetes-model, the API's
   * OpenAPI schemas as Java classes) with unknown fields refused: a misspelt or misplaced field, which the API server
   * would drop or refuse at install, fails here. The Strimzi KafkaTopic is a custom resource with no schema in the
   * model; its own test above checks its fields.
   */
  @Test
  void everyObjectFitsTheKubernetesApiSchemaWithNoUnknownField() throws IOException {
    Map<String, String> documents = new TreeMap<>();
    documents.put("chart defaults", render(Map.of()));
    Map<String, Object> ha = new TreeMap<>(Map.of("ha.antiAffinity", "hard"));
    SERVICES.forEach(name -> ha.put("services." + name + ".replicas", "3"));
    documents.put("chart HA", render(ha));
    documents.put("chart Strimzi topics", render(Map.of("kafka.topics.strimzi.enabled", "true")));
    documents.put("chart without network policies", render(Map.of("networkPolicy.enabled", "false")));
    documents.put("chart with alert rules and dashboards in ConfigMaps",
        render(Map.of("monitoring.rulesConfigMap.enabled", "true", "monitoring.dashboards.enabled", "true")));
    try (Stream<Path> files = Files.list(ROOT.resolve("deploy/k8s/manifests"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        documents.put(file.getFileName().toString(), Files.readString(file));
      }
    }
    Set<String> checked = new TreeSet<>();
    documents.forEach((source, yaml) -> byKindAndName(yaml).forEach((key, object) -> {
      String kind = object.path("kind").asText();
      if (kind.equals("KafkaTopic")) {
        return;
      }
      Class<?> type = API_TYPES.get(object.path("apiVersion").asText() + "/" + kind);
      assertTrue(type != null, source + ": " + key + " has apiVersion " + object.path("apiVersion").asText()
          + ", which this test knows no schema of");
      try {
        STRICT.treeToValue(object, type);
      } catch (IOException e) {
        throw new AssertionError(source + ": " + key + " does not fit the Kubernetes API schema: " + e.getMessage(),
            e);
      }
      checked.add(kind);
    }));
    assertTrue(checked.containsAll(Set.of("Deployment", "StatefulSet", "Service", "ConfigMap", "NetworkPolicy",
        "PodDisruptionBudget", "Job")), checked.toString());
  }

  /** values.schema.json: a misspelt key or a value of the wrong kind fails at install, naming it. */
  @Test
  void valuesTheSchemaRefusesFailTheRendering() {
    for (Map.Entry<String, String> wrong : Map.of(
        "services.signer.replicas", "two",
        "publisher.maxTransfersPerClient", "0",
        "networkPolicy.enabeld", "true",
        "image.pullPolicy", "Sometimes",
        "publisher.provideXfrTo", "ns1.example.org",
        "monitoring.dashboards.enabeld", "true").entrySet()) {
      Exception refused = assertThrows(Exception.class, () -> render(Map.of(wrong.getKey(), wrong.getValue())),
          wrong.toString());
      String last = wrong.getKey().substring(wrong.getKey().lastIndexOf('.') + 1);
      assertTrue(refused.getMessage().contains(last), wrong + ": " + refused.getMessage());
    }
  }

  /**
   * The alert rules (deploy/monitoring/alerts.yaml, which the chart's files/alerts.yaml links to) ship as a
   * PrometheusRule and as a ConfigMap when asked, with the rules unchanged, and not by default.
   */
  @Test
  void alertRulesShipAsPrometheusRuleAndConfigMapWhenEnabled() throws IOException {
    JsonNode rules = YAML.readTree(ROOT.resolve("deploy/monitoring/alerts.yaml").toFile());
    assertTrue(kinds(byKindAndName(render(Map.of())), "PrometheusRule").isEmpty());

    Map<String, JsonNode> objects = byKindAndName(render(Map.of("monitoring.prometheusRule.enabled", "true",
        "monitoring.prometheusRule.labels.release", "prometheus", "monitoring.rulesConfigMap.enabled", "true")));
    JsonNode rule = objects.get("PrometheusRule/cascade-alerts");
    assertEquals("monitoring.coreos.com/v1", rule.path("apiVersion").asText());
    assertEquals("prometheus", rule.path("metadata").path("labels").path("release").asText());
    assertEquals(rules, rule.path("spec"));
    JsonNode configMap = objects.get("ConfigMap/cascade-alert-rules");
    assertEquals(rules, YAML.readTree(configMap.path("data").path("cascade-alerts.yaml").asText()));
  }

  /**
   * The Grafana dashboards (deploy/monitoring/dashboards, which the chart's files/dashboards links to) ship as one
   * ConfigMap with the Grafana sidecar's label when asked, every file unchanged under its name, and not by default.
   */
  @Test
  void dashboardsShipAsConfigMapForTheGrafanaSidecarWhenEnabled() throws IOException {
    assertFalse(byKindAndName(render(Map.of())).containsKey("ConfigMap/cascade-dashboards"));

    JsonNode configMap =
        byKindAndName(render(Map.of("monitoring.dashboards.enabled", "true"))).get("ConfigMap/cascade-dashboards");
    assertEquals("1", configMap.path("metadata").path("labels").path("grafana_dashboard").asText());
    Path dashboards = ROOT.resolve("deploy/monitoring/dashboards");
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> list = Files.list(dashboards)) {
      for (Path file : list.filter(f -> f.toString().endsWith(".json")).toList()) {
        files.put(file.getFileName().toString(), Files.readString(file));
      }
    }
    assertFalse(files.isEmpty());
    Map<String, String> data = new TreeMap<>();
    configMap.path("data").properties().forEach(entry -> data.put(entry.getKey(), entry.getValue().asText()));
    assertEquals(files, data);
  }

  @Test
  void unknownAntiAffinityModeIsRefused() {
    Exception refused = assertThrows(Exception.class, () -> render(Map.of("ha.antiAffinity", "sometimes")));

    assertTrue(refused.getMessage().contains("ha.antiAffinity is \"sometimes\": it must be \"soft\" or \"hard\""),
        refused.getMessage());
  }

  private static String render(Map<String, ?> values) {
    TemplateCommand template = new Helm(CHART).template().withName("cascade");
    for (Map.Entry<String, ?> value : values.entrySet()) {
      template = template.set(value.getKey(), value.getValue());
    }
    return template.call();
  }

  /** Objects of a multi-document YAML text by "Kind/name". */
  private static Map<String, JsonNode> byKindAndName(String yaml) {
    Map<String, JsonNode> objects = new TreeMap<>();
    try {
      for (JsonNode doc : YAML.readerFor(JsonNode.class).readValues(yaml).readAll().stream()
          .map(JsonNode.class::cast).toList()) {
        if (doc != null && doc.has("kind")) {
          objects.put(doc.path("kind").asText() + "/" + doc.path("metadata").path("name").asText(), doc);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return objects;
  }

  private static Set<String> kinds(Map<String, JsonNode> objects, String kind) {
    Set<String> keys = new TreeSet<>(objects.keySet());
    keys.removeIf(key -> !key.startsWith(kind + "/"));
    return keys;
  }

  private static JsonNode workload(Map<String, JsonNode> objects, String name) {
    return objects.getOrDefault("Deployment/" + name, objects.get("StatefulSet/" + name));
  }

  /** Helm adds its managed-by label; the plain manifests, applied with kubectl, leave it out. */
  private static void dropHelmLabel(JsonNode object) {
    for (JsonNode labels : List.of(object.path("metadata").path("labels"),
        object.path("spec").path("template").path("metadata").path("labels"))) {
      if (labels instanceof ObjectNode node) {
        node.remove(MANAGED_BY);
      }
    }
  }
}
