package dev.cascade.systemtests.deploy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks docker-compose.yml, deploy/k8s/manifests/*.yaml and the Helm chart deploy/k8s/cascade/ against
 * {@link CodeConfig}. Each check returns the problems it found as sentences naming the file, so a failing test says
 * what to fix; an empty list means the files agree with the code.
 *
 * <p>YAML files are parsed (Jackson YAML). Chart templates contain Go templating, which is not YAML, so they are
 * checked as text.
 */
final class DeploymentFiles {

  static final String READY = "/q/health/ready";
  static final String LIVE = "/q/health/live";

  /** Topic names as shared-events spells them: cascade.<fact-kebab>.v<major>. */
  private static final Pattern TOPIC = Pattern.compile("\\bcascade\\.[a-z0-9-]+\\.v[0-9]+\\b");
  private static final Pattern ENV_ITEM = Pattern.compile("-\\s+name:\\s+([A-Z][A-Z0-9_]*)\\s*$", Pattern.MULTILINE);
  private static final Pattern LITERAL_PORT =
      Pattern.compile("^\\s*(?:-\\s+)?(?:containerPort|port|targetPort):\\s+([0-9]+)\\s*$", Pattern.MULTILINE);
  private static final Pattern DEFINE =
      Pattern.compile("\\{\\{-?\\s*define\\s+\"([^\"]+)\"\\s*-?\\}\\}(.*?)\\{\\{-?\\s*end\\s*-?\\}\\}", Pattern.DOTALL);
  private static final Pattern INCLUDE = Pattern.compile("include\\s+\"([^\"]+)\"");
  private static final Pattern EXPOSE = Pattern.compile("^EXPOSE\\s+([0-9/a-z\\s]+)$", Pattern.MULTILINE);
  private static final Pattern HEALTH_URL = Pattern.compile("localhost:([0-9]+)(/q/health/[a-z]+)");
  /** A shell loop that creates topics: {@code for t in <topics>; do <commands with their settings> done}. */
  private static final Pattern TOPIC_LOOP = Pattern.compile("for t in ([^;]*); do(.*?)\\bdone\\b", Pattern.DOTALL);

  private static final YAMLMapper YAML = new YAMLMapper();

  private final CodeConfig code;
  private final Path compose;
  private final Path manifests;
  private final Path chart;

  DeploymentFiles(CodeConfig code) {
    this.code = code;
    this.compose = code.root().resolve("docker-compose.yml");
    this.manifests = code.root().resolve("deploy/k8s/manifests");
    this.chart = code.root().resolve("deploy/k8s/cascade");
  }

  /** All checks together. */
  List<String> problems() {
    List<String> all = new ArrayList<>();
    all.addAll(servicesPresent());
    all.addAll(ports());
    all.addAll(topics());
    all.addAll(environment());
    all.addAll(tsigKek());
    all.addAll(probes());
    all.addAll(chartValues());
    return all;
  }


  /**
   * Every service directory has a compose service (built from an existing Dockerfile), a manifest Deployment and
   * Service, and a chart template; no Deployment exists for anything else.
   */
  List<String> servicesPresent() {
    List<String> problems = new ArrayList<>();
    Map<String, JsonNode> composeServices = composeCascadeServices(problems);
    Map<String, JsonNode> workloads = manifestWorkloads();
    Set<String> k8sServices = new TreeSet<>();
    manifestServices().forEach(service -> k8sServices.add(selectedApp(service)));
    Map<String, String> templates = chartTemplates();
    for (String name : code.services().keySet()) {
      if (!composeServices.containsKey(name)) {
        problems.add("docker-compose.yml: no service built from services/" + name);
      }
      if (!workloads.containsKey(name)) {
        problems.add("deploy/k8s/manifests: no Deployment or StatefulSet " + name);
      }
      if (!k8sServices.contains(name)) {
        problems.add("deploy/k8s/manifests: no Service " + name);
      }
      String template = templates.get(name + ".yaml");
      if (template == null || !isWorkload(template) || !template.contains("kind: Service")) {
        problems.add("deploy/k8s/cascade/templates/" + name + ".yaml: no Deployment or StatefulSet, and Service, for "
            + name);
      }
    }
    for (Map.Entry<String, JsonNode> e : composeServices.entrySet()) {
      String dockerfile = e.getValue().path("build").path("dockerfile").asText("Dockerfile");
      if (!Files.isRegularFile(dockerfilePath(e.getKey(), dockerfile))) {
        problems.add("docker-compose.yml: " + e.getKey() + " is built from services/" + e.getKey() + "/" + dockerfile
            + ", which does not exist");
      }
    }
    for (Map.Entry<String, JsonNode> e : workloads.entrySet()) {
      if (!code.services().containsKey(e.getKey())) {
        problems.add("deploy/k8s/manifests: " + kind(e.getValue()) + " " + e.getKey()
            + " is no directory under services/");
      }
    }
    return problems;
  }


  /**
   * Every port named for a service (published in compose, exposed by its Dockerfile, declared in a manifest or a
   * template) is one its configuration has; the "http" port and the health checks use its quarkus.http.port.
   */
  List<String> ports() {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : composeCascadeServices(problems).entrySet()) {
      CodeConfig.Service service = code.services().get(e.getKey());
      if (service == null) {
        continue;
      }
      for (JsonNode port : e.getValue().path("ports")) {
        int containerPort = composeContainerPort(port.asText());
        if (!service.ports().contains(containerPort)) {
          problems.add(
              "docker-compose.yml: " + e.getKey() + " publishes port " + containerPort
                  + ", which its configuration does not have " + service.ports());
        }
      }
      String dockerfile = e.getValue().path("build").path("dockerfile").asText("Dockerfile");
      Matcher exposed = EXPOSE.matcher(CodeConfig.readOrEmpty(dockerfilePath(e.getKey(), dockerfile)));
      while (exposed.find()) {
        for (String item : exposed.group(1).trim().split("\\s+")) {
          int port = Integer.parseInt(item.split("/", 2)[0]);
          if (!service.ports().contains(port)) {
            problems.add("services/" + e.getKey() + "/" + dockerfile + ": EXPOSE " + item
                + ", which the configuration of " + e.getKey() + " does not have " + service.ports());
          }
        }
      }
      Matcher m = HEALTH_URL.matcher(e.getValue().path("healthcheck").path("test").toString());
      while (m.find()) {
        if (Integer.parseInt(m.group(1)) != service.httpPort()) {
          problems.add(
              "docker-compose.yml: " + e.getKey() + " health check uses port " + m.group(1)
                  + ", but quarkus.http.port is " + service.httpPort());
        }
      }
    }
    for (Map.Entry<String, JsonNode> e : manifestWorkloads().entrySet()) {
      CodeConfig.Service service = code.services().get(e.getKey());
      if (service == null) {
        continue;
      }
      String workload = kind(e.getValue()) + " " + e.getKey();
      for (JsonNode container : e.getValue().path("spec").path("template").path("spec").path("containers")) {
        for (JsonNode port : container.path("ports")) {
          int number = port.path("containerPort").asInt();
          if (!service.ports().contains(number)) {
            problems.add(
                "deploy/k8s/manifests: " + workload + " declares containerPort " + number
                    + ", which its configuration does not have " + service.ports());
          }
          if (port.path("name").asText().equals("http") && number != service.httpPort()) {
            problems.add(
                "deploy/k8s/manifests: " + workload + " port http is " + number
                    + ", but quarkus.http.port is " + service.httpPort());
          }
        }
      }
    }
    for (JsonNode k8sService : manifestServices()) {
      String name = k8sService.path("metadata").path("name").asText();
      CodeConfig.Service service = code.services().get(selectedApp(k8sService));
      if (service == null) {
        problems.add("deploy/k8s/manifests: Service " + name + " selects app " + selectedApp(k8sService)
            + ", which is no directory under services/");
        continue;
      }
      for (JsonNode port : k8sService.path("spec").path("ports")) {
        int number = port.path("port").asInt();
        if (!service.ports().contains(number)) {
          problems.add(
              "deploy/k8s/manifests: Service " + name + " exposes port " + number
                  + ", which its configuration does not have " + service.ports());
        }
      }
    }
    for (Map.Entry<String, String> t : chartTemplates().entrySet()) {
      CodeConfig.Service service = code.services().get(t.getKey().replace(".yaml", ""));
      if (service == null) {
        continue;
      }
      Matcher m = LITERAL_PORT.matcher(t.getValue());
      while (m.find()) {
        int number = Integer.parseInt(m.group(1));
        if (!service.ports().contains(number)) {
          problems.add(
              "deploy/k8s/cascade/templates/" + t.getKey() + ": port " + number
                  + " is not in the configuration of " + service.name() + " " + service.ports());
        }
      }
    }
    return problems;
  }


  /**
   * Every topic name in the deployment files is in the Topics catalogue, and the files that create topics (compose
   * and the chart/manifest Job) create every catalogue topic, in a {@code for t in ...} loop whose commands give it
   * its retention: unlimited for the fact and content topics, {@code Topics.PROGRESS_RETENTION_MS} for the progress
   * topics.
   */
  List<String> topics() {
    List<String> problems = new ArrayList<>();
    Map<String, String> files = new TreeMap<>();
    files.put("docker-compose.yml", CodeConfig.readOrEmpty(compose));
    manifestFiles().forEach(f -> files.put("deploy/k8s/manifests/" + f.getFileName(), CodeConfig.readOrEmpty(f)));
    chartFiles().forEach(f -> files.put("deploy/k8s/cascade/" + chart.relativize(f), CodeConfig.readOrEmpty(f)));
    for (Map.Entry<String, String> f : files.entrySet()) {
      Set<String> mentioned = new TreeSet<>();
      Matcher m = TOPIC.matcher(f.getValue());
      while (m.find()) {
        mentioned.add(m.group());
      }
      for (String topic : mentioned) {
        if (!code.topics().contains(topic)) {
          problems.add(f.getKey() + ": topic " + topic + " is not in dev.cascade.events.Topics");
        }
      }
      boolean createsTopics = f.getValue().contains("kafka-topics.sh");
      if (createsTopics) {
        Map<String, List<String>> loops = topicLoops(f.getValue());
        for (String topic : code.topics()) {
          if (!mentioned.contains(topic)) {
            problems.add(f.getKey() + ": creates topics but not " + topic);
          } else if (!loops.containsKey(topic)) {
            problems.add(f.getKey() + ": creates " + topic + " outside a `for t in ...` loop");
          } else {
            for (String commands : loops.get(topic)) {
              String problem = retentionProblem(topic, commands);
              if (problem != null && !problems.contains(f.getKey() + ": " + problem)) {
                problems.add(f.getKey() + ": " + problem);
              }
            }
          }
        }
      }
    }
    for (String required : List.of("docker-compose.yml", "deploy/k8s/cascade/templates/job-topics.yaml")) {
      if (!files.getOrDefault(required, "").contains("kafka-topics.sh")) {
        problems.add(required + ": does not create the topics");
      }
    }
    if (manifestFiles().stream().noneMatch(f -> CodeConfig.readOrEmpty(f).contains("kafka-topics.sh"))) {
      problems.add("deploy/k8s/manifests: no manifest creates the topics");
    }
    return problems;
  }


  /** Per topic, the commands of each {@code for t in ...} loop that lists it. */
  private static Map<String, List<String>> topicLoops(String text) {
    Map<String, List<String>> loops = new TreeMap<>();
    Matcher loop = TOPIC_LOOP.matcher(text);
    while (loop.find()) {
      Matcher topic = TOPIC.matcher(loop.group(1));
      while (topic.find()) {
        loops.computeIfAbsent(topic.group(), t -> new ArrayList<>()).add(loop.group(2));
      }
    }
    return loops;
  }

  /** Why the loop {@code commands} give {@code topic} the wrong retention, or null if they give it the right one. */
  private String retentionProblem(String topic, String commands) {
    if (code.progressTopics().contains(topic)) {
      long ms = code.progressRetentionMs();
      return setting(commands, "retention.ms", Long.toString(ms)) ? null
          : "creates progress topic " + topic + " without its short retention (retention.ms=" + ms + ")";
    }
    return setting(commands, "retention.ms", "-1") && setting(commands, "retention.bytes", "-1") ? null
        : "creates topic " + topic + " without unlimited retention (retention.ms=-1, retention.bytes=-1)";
  }

  /** Whether {@code commands} set {@code key} to exactly {@code value}. */
  private static boolean setting(String commands, String key, String value) {
    return Pattern.compile(Pattern.quote(key + "=" + value) + "(?![0-9])").matcher(commands).find();
  }

  /** Every environment variable set on a Cascade service is one that service's code reads. */
  List<String> environment() {
    List<String> problems = new ArrayList<>();
    for (DeployedEnvironment env : deployedEnvironments(problems)) {
      checkEnv(env.where(), env.service(), env.names(), env.text(), problems);
    }
    return problems;
  }

  /**
   * The variables of the key-encryption key, the current one and the previous ones of a rotation, as every service
   * that wraps or unwraps with it reads them (docs/operations.md, "The key-encryption key").
   */
  static final List<String> KEK_VARIABLES =
      List.of("CASCADE_KEY_ENCRYPTION_KEY", "CASCADE_PREVIOUS_KEY_ENCRYPTION_KEYS");

  /**
   * Every service that reads TSIG keys ({@link CodeConfig.Service#readsTsigKeys}) gets the key-encryption key and the
   * previous ones: without them the loader and publisher cannot use a key, and review-gateway can neither add one
   * nor wrap the secrets again after a KEK rotation.
   */
  List<String> tsigKek() {
    List<String> problems = new ArrayList<>();
    for (DeployedEnvironment env : deployedEnvironments(problems)) {
      if (!env.service().readsTsigKeys()) {
        continue;
      }
      for (String name : KEK_VARIABLES) {
        if (!env.names().contains(name)) {
          problems.add(env.where() + " reads TSIG keys but is not given " + name);
        }
      }
    }
    return problems;
  }

  /**
   * The environment a Cascade service is given in one deployment file.
   *
   * @param where the file and service, for a problem's sentence
   * @param names the variables set
   * @param text the service's definition as text ("" for compose), where a later variable may expand an earlier one
   */
  private record DeployedEnvironment(String where, CodeConfig.Service service, List<String> names, String text) {}

  /** Every Cascade service's environment in docker-compose.yml, the plain manifests and the chart templates. */
  private List<DeployedEnvironment> deployedEnvironments(List<String> problems) {
    List<DeployedEnvironment> all = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : composeCascadeServices(problems).entrySet()) {
      CodeConfig.Service service = code.services().get(e.getKey());
      if (service == null) {
        continue;
      }
      JsonNode env = e.getValue().path("environment");
      List<String> names = new ArrayList<>();
      if (env.isObject()) {
        env.fieldNames().forEachRemaining(names::add);
      } else {
        env.forEach(item -> names.add(item.asText().split("=", 2)[0]));
      }
      all.add(new DeployedEnvironment("docker-compose.yml: " + e.getKey(), service, names, ""));
    }
    for (Map.Entry<String, JsonNode> e : manifestWorkloads().entrySet()) {
      CodeConfig.Service service = code.services().get(e.getKey());
      if (service == null) {
        continue;
      }
      List<String> names = new ArrayList<>();
      for (JsonNode container : e.getValue().path("spec").path("template").path("spec").path("containers")) {
        container.path("env").forEach(item -> names.add(item.path("name").asText()));
      }
      all.add(new DeployedEnvironment("deploy/k8s/manifests: " + kind(e.getValue()) + " " + e.getKey(), service,
          names, e.getValue().toString()));
    }
    Map<String, String> defines = chartDefines();
    for (Map.Entry<String, String> t : chartTemplates().entrySet()) {
      CodeConfig.Service service = code.services().get(t.getKey().replace(".yaml", ""));
      if (service == null) {
        continue;
      }
      List<String> names = envItems(t.getValue());
      Matcher m = INCLUDE.matcher(t.getValue());
      while (m.find()) {
        names.addAll(envItems(defines.getOrDefault(m.group(1), "")));
      }
      all.add(new DeployedEnvironment("deploy/k8s/cascade/templates/" + t.getKey(), service, names, t.getValue()));
    }
    return all;
  }

  /**
   * Checks that the service reads every variable in {@code names}, except one that only serves to build another's
   * value in {@code text} (Kubernetes expands {@code $(NAME)} in a later variable of the same container).
   */
  private static void checkEnv(
      String where, CodeConfig.Service service, List<String> names, String text, List<String> problems) {
    if (service.propertiesText().isEmpty()) {
      problems.add(where + ": services/" + service.name() + " has no src/main/resources/application.properties");
      return;
    }
    Set<String> read = service.envVarsRead();
    for (String name : names) {
      if (!read.contains(name) && !text.contains("$(" + name + ")")) {
        problems.add(where + " sets " + name + ", which " + service.name() + " does not read");
      }
    }
  }

  private static List<String> envItems(String text) {
    List<String> names = new ArrayList<>();
    Matcher m = ENV_ITEM.matcher(text);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }


  /** Readiness is checked on /q/health/ready and liveness on /q/health/live, everywhere. */
  List<String> probes() {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : composeCascadeServices(problems).entrySet()) {
      String test = e.getValue().path("healthcheck").path("test").toString();
      if (!test.contains(READY)) {
        problems.add("docker-compose.yml: " + e.getKey() + " health check does not use " + READY);
      }
    }
    for (Map.Entry<String, JsonNode> e : manifestWorkloads().entrySet()) {
      String workload = kind(e.getValue()) + " " + e.getKey();
      for (JsonNode container : e.getValue().path("spec").path("template").path("spec").path("containers")) {
        String ready = container.path("readinessProbe").path("httpGet").path("path").asText();
        String live = container.path("livenessProbe").path("httpGet").path("path").asText();
        if (!READY.equals(ready)) {
          problems.add("deploy/k8s/manifests: " + workload + " readiness probe is '" + ready + "'");
        }
        if (!LIVE.equals(live)) {
          problems.add("deploy/k8s/manifests: " + workload + " liveness probe is '" + live + "'");
        }
      }
    }
    String probes = chartDefines().getOrDefault("cascade.probes", "");
    if (!probes.contains("path: " + READY) || !probes.contains("path: " + LIVE)) {
      problems.add("deploy/k8s/cascade/templates/_helpers.tpl: cascade.probes does not use " + READY + " and " + LIVE);
    }
    for (Map.Entry<String, String> t : chartTemplates().entrySet()) {
      if (isWorkload(t.getValue()) && !t.getValue().contains("include \"cascade.probes\"")) {
        problems.add("deploy/k8s/cascade/templates/" + t.getKey() + ": workload without cascade.probes");
      }
    }
    return problems;
  }


  /** Chart.yaml is a v2 chart; values.yaml names the services with their HTTP ports and ships the repository's policies. */
  List<String> chartValues() {
    List<String> problems = new ArrayList<>();
    JsonNode chartYaml = readYaml(chart.resolve("Chart.yaml")).stream().findFirst().orElse(null);
    if (chartYaml == null || !"v2".equals(chartYaml.path("apiVersion").asText())
        || !"cascade".equals(chartYaml.path("name").asText())) {
      problems.add("deploy/k8s/cascade/Chart.yaml: not an apiVersion v2 chart named cascade");
    }
    JsonNode values = readYaml(chart.resolve("values.yaml")).stream().findFirst().orElse(null);
    if (values == null) {
      problems.add("deploy/k8s/cascade/values.yaml: missing");
      return problems;
    }
    Set<String> valueServices = new TreeSet<>();
    values.path("services").fieldNames().forEachRemaining(valueServices::add);
    if (!valueServices.equals(code.services().keySet())) {
      problems.add("deploy/k8s/cascade/values.yaml: services " + valueServices + " but services/ has "
          + code.services().keySet());
    }
    for (CodeConfig.Service service : code.services().values()) {
      int httpPort = values.path("services").path(service.name()).path("httpPort").asInt(-1);
      if (httpPort != service.httpPort()) {
        problems.add("deploy/k8s/cascade/values.yaml: services." + service.name() + ".httpPort is " + httpPort
            + ", but quarkus.http.port is " + service.httpPort());
      }
    }
    Map<String, String> shipped = shippedPolicies();
    Map<String, String> inValues = new TreeMap<>();
    values.path("policies").fields().forEachRemaining(f -> inValues.put(f.getKey(), f.getValue().asText()));
    if (!inValues.equals(shipped)) {
      problems.add("deploy/k8s/cascade/values.yaml: policies differ from the files in policies/ " + shipped.keySet());
    }
    Map<String, String> inConfigMap = new TreeMap<>();
    manifestObjects("ConfigMap").values().stream()
        .filter(c -> c.path("metadata").path("name").asText().equals("cascade-policies"))
        .forEach(c -> c.path("data").fields().forEachRemaining(f -> inConfigMap.put(f.getKey(), f.getValue().asText())));
    if (!inConfigMap.equals(shipped)) {
      problems.add("deploy/k8s/manifests: ConfigMap cascade-policies differs from the files in policies/ "
          + shipped.keySet());
    }
    return problems;
  }

  private Map<String, String> shippedPolicies() {
    Map<String, String> policies = new TreeMap<>();
    Path dir = code.root().resolve("policies");
    if (!Files.isDirectory(dir)) {
      return policies;
    }
    try (Stream<Path> files = Files.list(dir)) {
      files.filter(f -> f.getFileName().toString().endsWith(".toml")).sorted()
          .forEach(f -> policies.put(f.getFileName().toString(), CodeConfig.readOrEmpty(f)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return policies;
  }


  /** Compose services built from services/<name>, by that name; a mismatch of compose name and directory is a problem. */
  private Map<String, JsonNode> composeCascadeServices(List<String> problems) {
    Map<String, JsonNode> result = new TreeMap<>();
    JsonNode root = readYaml(compose).stream().findFirst().orElse(null);
    if (root == null) {
      problems.add("docker-compose.yml: missing or empty");
      return result;
    }
    root.path("services").fields().forEachRemaining(e -> {
      // A one-shot job running a tool from a service's image (registry-rules runs the schema registration from
      // review-gateway's) is no deployment of that service.
      if (e.getValue().path("restart").asText().equals("no") && e.getValue().has("entrypoint")) {
        return;
      }
      JsonNode build = e.getValue().path("build");
      String context = build.isTextual() ? build.asText() : build.path("context").asText("");
      Matcher m = Pattern.compile("^(?:\\./)?services/([^/]+)/?$").matcher(context);
      if (m.matches()) {
        if (!m.group(1).equals(e.getKey())) {
          problems.add("docker-compose.yml: service " + e.getKey() + " is built from services/" + m.group(1));
        }
        result.put(m.group(1), e.getValue());
      }
    });
    return result;
  }

  private Path dockerfilePath(String service, String dockerfile) {
    return code.root().resolve("services").resolve(service).resolve(dockerfile);
  }

  /** The manifests' Deployments and StatefulSets, the pods that run a service, by metadata.name. */
  private Map<String, JsonNode> manifestWorkloads() {
    Map<String, JsonNode> result = new TreeMap<>(manifestObjects("Deployment"));
    result.putAll(manifestObjects("StatefulSet"));
    return result;
  }

  /**
   * The manifests' Services. A service may have more than one (the publisher's headless publisher-pods names each
   * replica); each belongs to the app its selector picks.
   */
  private List<JsonNode> manifestServices() {
    List<JsonNode> result = new ArrayList<>();
    for (Path file : manifestFiles()) {
      readYaml(file).stream().filter(doc -> "Service".equals(kind(doc))).forEach(result::add);
    }
    return result;
  }

  private static String selectedApp(JsonNode service) {
    return service.path("spec").path("selector").path("app").asText();
  }

  private static String kind(JsonNode object) {
    return object.path("kind").asText();
  }

  private static boolean isWorkload(String template) {
    return template.contains("kind: Deployment") || template.contains("kind: StatefulSet");
  }

  /** Manifest objects of one kind, by metadata.name. */
  private Map<String, JsonNode> manifestObjects(String kind) {
    Map<String, JsonNode> result = new TreeMap<>();
    for (Path file : manifestFiles()) {
      for (JsonNode doc : readYaml(file)) {
        if (kind.equals(doc.path("kind").asText())) {
          result.put(doc.path("metadata").path("name").asText(), doc);
        }
      }
    }
    return result;
  }

  private List<Path> manifestFiles() {
    if (!Files.isDirectory(manifests)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(manifests)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<Path> chartFiles() {
    if (!Files.isDirectory(chart)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(chart)) {
      return files.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Chart templates (*.yaml under templates/) by file name, as text. */
  private Map<String, String> chartTemplates() {
    Map<String, String> result = new TreeMap<>();
    for (Path f : chartFiles()) {
      if (f.getParent().getFileName().toString().equals("templates") && f.toString().endsWith(".yaml")) {
        result.put(f.getFileName().toString(), CodeConfig.readOrEmpty(f));
      }
    }
    return result;
  }

  /** The named templates of templates/_helpers.tpl, by name. */
  private Map<String, String> chartDefines() {
    Map<String, String> result = new LinkedHashMap<>();
    Matcher m = DEFINE.matcher(CodeConfig.readOrEmpty(chart.resolve("templates/_helpers.tpl")));
    while (m.find()) {
      result.put(m.group(1), m.group(2));
    }
    return result;
  }

  /** The YAML documents of a file (empty documents skipped); an unparseable file fails the check loudly. */
  static List<JsonNode> readYaml(Path file) {
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    try (JsonParser parser = YAML.getFactory().createParser(file.toFile());
        MappingIterator<JsonNode> docs = YAML.readValues(parser, JsonNode.class)) {
      List<JsonNode> result = new ArrayList<>();
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
          result.add(doc);
        }
      }
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse " + file, e);
    }
  }

  /** The container side of a compose port mapping such as "127.0.0.1:4540:4540/udp". */
  static int composeContainerPort(String mapping) {
    String withoutProtocol = mapping.split("/", 2)[0];
    String[] parts = withoutProtocol.split(":");
    return Integer.parseInt(parts[parts.length - 1]);
  }
}
