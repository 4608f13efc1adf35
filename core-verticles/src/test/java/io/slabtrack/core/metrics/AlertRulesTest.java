package io.slabtrack.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.Scrape;
import io.slabtrack.cluster.testing.TestNode;
import io.slabtrack.cluster.testing.TestTokens;
import io.slabtrack.core.CoreFixture;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert rules in {@code deploy/prometheus/} read metrics that exist: every metric name they use is in a
 * running core's {@code GET /metrics} (scraped with a scrape token, as Prometheus does), before anything happened.
 * And, where Debian's {@code prometheus} package is installed, {@code promtool} accepts the rules and the example
 * configuration (skipped otherwise: CI does not depend on it).
 */
class AlertRulesTest {
  static final Path PROMETHEUS = Path.of("..", "deploy", "prometheus");
  /** Metric names: ours, Vert.x's and the JVM's (Prometheus's own {@code up} is not the app's to export). */
  private static final Pattern METRIC = Pattern.compile("\\b((?:slabtrack|vertx|jvm)_[a-z0-9_]+)");
  @RegisterExtension
  static final CoreFixture core = CoreFixture.perClass();

  static Set<String> namesIn(String rules) {
    Set<String> names = new TreeSet<>();
    Matcher m = METRIC.matcher(rules);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  @Test
  void everyMetricTheRulesReadIsExported() throws Exception {
    String rules = Files.readString(PROMETHEUS.resolve("alerts.yml"));
    Set<String> used = namesIn(rules);
    assertThat(used).as("the rules read our metrics").contains("slabtrack_outbox_oldest_pending_age_seconds",
        "slabtrack_outbox_dead_lettered_total", "slabtrack_reconciler_drift_found_total",
        "slabtrack_cluster_members", "slabtrack_cluster_min_members", "slabtrack_jwt_keys_agree");
    String token = TestTokens.tokens(TestNode.SECRET).mintMetrics("prometheus", List.of(AppName.CORE),
        Duration.ofMinutes(5));
    CoreFixture.Resp r = core.call("GET", "/metrics", null, token);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    Set<String> exported = Scrape.parse(r.body()).names();
    assertThat(exported).containsAll(used);
    // the drift alert's series exist at 0 for every kind before any run, so increase() sees the first drift
    assertThat(Scrape.parse(r.body()).has("slabtrack_reconciler_drift_found_total", "app", "core",
        "trigger", "schedule", "kind", "double_sale")).isTrue();
  }

  @Test
  void theNameCheckWouldCatchATypo() {
    assertThat(namesIn("expr: slabtrack_outbox_pendnig > 0 and up == 0")).containsExactly("slabtrack_outbox_pendnig");
  }

  @Test
  void promtoolAcceptsTheRulesAndTheExampleConfig(@TempDir Path dir) throws Exception {
    assumeTrue(onPath("promtool"), "promtool not installed (Debian package prometheus)");
    assertThat(run(PROMETHEUS.toAbsolutePath().normalize(), "promtool", "check", "rules", "alerts.yml")).isZero();
    // the config names a token file, which must exist for the check: a copy beside a dummy token
    Files.copy(PROMETHEUS.resolve("alerts.yml"), dir.resolve("alerts.yml"));
    Files.copy(PROMETHEUS.resolve("prometheus.yml"), dir.resolve("prometheus.yml"));
    Files.writeString(dir.resolve("slabtrack-metrics.token"), "dummy", StandardCharsets.UTF_8);
    assertThat(run(dir, "promtool", "check", "config", "prometheus.yml")).isZero();
  }

  private static boolean onPath(String command) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String d : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(d, command))) {
        return true;
      }
    }
    return false;
  }

  private static int run(Path dir, String... command) throws Exception {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    if (p.exitValue() != 0) {
      System.err.println(String.join(" ", command) + ":\n" + out);
    }
    return p.exitValue();
  }
}
