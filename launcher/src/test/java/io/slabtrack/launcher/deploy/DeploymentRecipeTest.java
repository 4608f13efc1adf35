package io.slabtrack.launcher.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.launcher.Main;
import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The deployment recipe under {@code deploy/} can't run on this machine, so it is checked statically: the compose
 * file and the Kubernetes manifests parse; every environment variable they give a node is one README's
 * configuration table documents; every command they and the image run is one the launcher accepts; ports, probes
 * and the private network are where README's "Running in production" says.
 */
class DeploymentRecipeTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path DEPLOY = ROOT.resolve("deploy");

  /** The names in the first column of README's configuration table. */
  static Set<String> documentedVariables() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    int start = readme.indexOf("\n## Configuration");
    assertThat(start).as("README has a Configuration section").isPositive();
    int end = readme.indexOf("\n## ", start + 5);
    Set<String> names = new HashSet<>();
    for (String line : readme.substring(start, end < 0 ? readme.length() : end).split("\n")) {
      if (line.startsWith("| `")) {
        Matcher m = Pattern.compile("`([A-Z][A-Z0-9_]+)`").matcher(line.split("\\|")[1]);
        while (m.find()) {
          names.add(m.group(1));
        }
      }
    }
    assertThat(names).contains("JWT_SECRET", "HZ_MEMBERS"); // the table was found
    return names;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o) {
    return o == null ? List.of() : (List<Object>) o;
  }

  private static Yaml yaml() {
    return new Yaml(new LoaderOptions());
  }

  /** The launcher accepts the command, and {@code --app} names an app; returns the app. */
  private static AppName assertLauncherRuns(List<String> args) {
    ParseResult parsed = new CommandLine(new Main()).parseArgs(args.toArray(String[]::new));
    assertThat(parsed.subcommand()).as("a subcommand in " + args).isNotNull();
    assertThat(parsed.subcommand().commandSpec().name()).as(args.toString()).isEqualTo("node");
    return AppName.parse(parsed.subcommand().matchedOptionValue("--app", ""));
  }

  @Test
  void theImageRunsTheFatJarAsAnUnprivilegedUserAndChecksReadiness() throws IOException {
    String dockerfile = Files.readString(DEPLOY.resolve("Dockerfile"));
    String pom = Files.readString(ROOT.resolve("launcher/pom.xml"));
    assertThat(pom).contains("<outputFile>${project.build.directory}/slabtrack.jar</outputFile>");
    assertThat(dockerfile).containsPattern("(?m)^FROM [^\\s]*jre").containsPattern(
        "(?m)^COPY launcher/target/slabtrack.jar /app/slabtrack.jar$");
    Matcher user = Pattern.compile("(?m)^USER (\\S+)").matcher(dockerfile);
    assertThat(user.find()).isTrue();
    assertThat(user.group(1)).doesNotStartWith("0").doesNotStartWith("root");
    assertThat(dockerfile).containsPattern("(?m)^HEALTHCHECK .*\\n?.*/ready");
    List<String> entrypoint = jsonArray(dockerfile, "ENTRYPOINT");
    assertThat(entrypoint.get(0)).isEqualTo("java");
    assertThat(entrypoint.subList(entrypoint.size() - 2, entrypoint.size())).containsExactly("-jar",
        "/app/slabtrack.jar");
    assertThat(assertLauncherRuns(jsonArray(dockerfile, "CMD"))).isEqualTo(AppName.CORE);
    Matcher env = Pattern.compile("(?m)^ENV (.*)$").matcher(dockerfile);
    Set<String> documented = documentedVariables();
    while (env.find()) {
      for (String pair : env.group(1).trim().split("\\s+")) {
        assertThat(documented).as("the image's ENV " + pair).contains(pair.split("=")[0]);
      }
    }
  }

  private static List<String> jsonArray(String dockerfile, String instruction) {
    Matcher m = Pattern.compile("(?m)^" + instruction + " (\\[.*])$").matcher(dockerfile);
    assertThat(m.find()).as(instruction + " in exec form").isTrue();
    List<String> out = new ArrayList<>();
    new JsonArray(m.group(1)).forEach(v -> out.add((String) v));
    return out;
  }

  @Test
  void composeRunsOneCoreOneTotTwoStorefrontsPrivatelyWithOnlyHttpPublished() throws IOException {
    Set<String> documented = documentedVariables();
    Map<String, Object> compose = map(yaml().load(Files.readString(DEPLOY.resolve("docker-compose.yml"))));
    Map<String, Object> services = map(compose.get("services"));
    Map<AppName, Integer> nodes = new HashMap<>();
    for (Map.Entry<String, Object> e : services.entrySet()) {
      Map<String, Object> service = map(e.getValue());
      assertThat(map(service.get("networks")).keySet()).as(e.getKey()).containsExactly("cluster");
      if (e.getKey().equals("postgres")) {
        assertThat(service).as("PostgreSQL is not published").doesNotContainKey("ports");
        continue;
      }
      assertThat(service.get("image")).isEqualTo("slabtrack:latest");
      AppName app = assertLauncherRuns(list(service.get("command")).stream().map(Object::toString).toList());
      nodes.merge(app, 1, Integer::sum);
      Map<String, Object> env = map(service.get("environment"));
      assertThat(env.keySet()).as(e.getKey() + "'s variables are documented in README").isSubsetOf(documented);
      // only the HTTP port, and it is the one the node listens on
      List<Object> ports = list(service.get("ports"));
      assertThat(ports).as(e.getKey()).hasSize(1);
      assertThat(ports.get(0).toString()).endsWith(":" + env.get("HTTP_PORT"));
      String bind = env.get("BIND_HOST").toString();
      assertThat(map(map(service.get("networks")).get("cluster")).get("ipv4_address")).isEqualTo(bind);
      assertThat(env.get("HZ_MEMBERS").toString()).contains(bind + ":" + env.get("HZ_PORT"));
    }
    assertThat(nodes).containsEntry(AppName.CORE, 1).containsEntry(AppName.TOT, 1)
        .containsEntry(AppName.STOREFRONT, 2);
    Map<String, Object> network = map(map(compose.get("networks")).get("cluster"));
    assertThat(network.get("driver")).isEqualTo("bridge");
  }

  @Test
  void kubernetesRunsEachAppWithProbesBudgetsAndDiscoveryByTheHeadlessService() throws IOException {
    Set<String> documented = documentedVariables();
    List<Map<String, Object>> docs = new ArrayList<>();
    try (Stream<Path> files = Files.list(DEPLOY.resolve("kubernetes"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        for (Object doc : yaml().loadAll(Files.readString(f))) {
          if (doc != null) {
            docs.add(map(doc));
          }
        }
      }
    }
    Map<String, Map<String, Object>> byKindName = new HashMap<>();
    docs.forEach(d -> byKindName.put(d.get("kind") + "/" + map(d.get("metadata")).get("name"), d));
    Map<String, Object> config = map(byKindName.get("ConfigMap/slabtrack-config").get("data"));
    Map<String, Object> secret = map(byKindName.get("Secret/slabtrack-secrets").get("stringData"));
    assertThat(config.keySet()).as("ConfigMap keys documented").isSubsetOf(documented);
    assertThat(secret.keySet()).as("Secret keys documented").isSubsetOf(documented)
        .contains("JWT_SECRET", "HZ_CLUSTER_NAME", "PG_PASSWORD", "TOT_SEED_KEY");
    assertThat(config).containsEntry("HZ_DISCOVERY", "kubernetes").containsEntry("LOG_FORMAT", "json");

    // discovery: the DNS name the nodes look up is the headless Service that selects every node
    Map<String, Object> headless = byKindName.get("Service/slabtrack-hazelcast");
    Map<String, Object> headlessSpec = map(headless.get("spec"));
    assertThat(headlessSpec).containsEntry("clusterIP", "None").containsEntry("publishNotReadyAddresses", true);
    String dns = config.get("HZ_KUBERNETES_SERVICE_DNS").toString();
    assertThat(dns).startsWith("slabtrack-hazelcast." + map(headless.get("metadata")).get("namespace") + ".svc");
    Map<String, Object> hzSelector = map(headlessSpec.get("selector"));

    int replicas = 0;
    Set<AppName> apps = new HashSet<>();
    for (Map<String, Object> d : docs) {
      if (!"Deployment".equals(d.get("kind"))) {
        continue;
      }
      String name = map(d.get("metadata")).get("name").toString();
      Map<String, Object> spec = map(d.get("spec"));
      replicas += (Integer) spec.get("replicas");
      Map<String, Object> podLabels = map(map(map(spec.get("template")).get("metadata")).get("labels"));
      assertThat(podLabels).as(name + " is found by discovery").containsAllEntriesOf(map(hzSelector));
      Map<String, Object> container = map(list(map(map(spec.get("template")).get("spec")).get("containers")).get(0));
      AppName app = assertLauncherRuns(list(container.get("args")).stream().map(Object::toString).toList());
      apps.add(app);
      assertThat(name).isEqualTo("slabtrack-" + app.id());
      for (Object env : list(container.get("env"))) {
        assertThat(documented).as(name + " env").contains(map(env).get("name").toString());
      }
      assertThat(map(map(container.get("readinessProbe")).get("httpGet"))).containsEntry("path", "/ready");
      assertThat(map(map(container.get("livenessProbe")).get("httpGet"))).containsEntry("path", "/health");
      assertThat(map(map(container.get("resources")).get("requests"))).containsKeys("cpu", "memory");
      // the app's HTTP Service and a disruption budget over the same pods
      Map<String, Object> service = map(byKindName.get("Service/" + name).get("spec"));
      assertThat(podLabels).containsAllEntriesOf(map(service.get("selector")));
      Map<String, Object> pdb = map(byKindName.get("PodDisruptionBudget/" + name).get("spec"));
      assertThat(podLabels).containsAllEntriesOf(map(map(pdb.get("selector")).get("matchLabels")));
    }
    assertThat(apps).containsExactlyInAnyOrder(AppName.values());
    // the split-brain minimum is a majority of all nodes, and reachable
    int min = Integer.parseInt(config.get("HZ_MIN_MEMBERS").toString());
    assertThat(min).isGreaterThan(replicas / 2).isLessThanOrEqualTo(replicas);
  }
}
