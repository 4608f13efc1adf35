package io.slabtrack.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.TestTokens;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Three JVMs, one event bus: formation, a cross-JVM request, and surviving a kill -9. */
class ThreeNodeClusterIT {
  private static final Logger LOG = LoggerFactory.getLogger(ThreeNodeClusterIT.class);

  @Test
  void threeNodesFormOneBusAndSurviveTheLossOfOne() throws Exception {
    ClusterFixture cluster = ClusterFixture.shared();
    LOG.info("FIGURE three-node cluster formation: {} ms", cluster.formationMillis());
    for (AppName app : AppName.values()) {
      NodeProcess node = cluster.node(app);
      NodeProcess.Answer ready = node.awaitMembers(3, Duration.ofSeconds(30));
      assertThat(ready.check("database").orElseThrow().getString("status")).isEqualTo("UP");
      assertThat(ready.check("jwt-keys").orElseThrow().getString("status")).isEqualTo("UP");
      assertThat(node.get("/health", null).status()).isEqualTo(200);
    }

    // ToT asks core over the clustered event bus; core's JVM answers
    String operator = TestTokens.operator(cluster.jwtSecret());
    NodeProcess tot = cluster.node(AppName.TOT);
    NodeProcess.Answer ping = tot.get("/api/cluster/ping/core",
        TestTokens.operator(cluster.jwtSecret(), AppName.TOT));
    assertThat(ping.status()).as(ping.body()).isEqualTo(200);
    JsonObject answeredBy = ping.json().getJsonObject("answeredBy");
    assertThat(answeredBy.getString("app")).isEqualTo("core");
    assertThat(answeredBy.getLong("pid")).isEqualTo(cluster.node(AppName.CORE).pid());
    assertThat(tot.get("/api/cluster/ping/core", null).status()).isEqualTo(401);

    cluster.node(AppName.STOREFRONT).kill9();
    for (AppName survivor : new AppName[] {AppName.CORE, AppName.TOT}) {
      NodeProcess node = cluster.node(survivor);
      node.awaitMembers(2, Duration.ofSeconds(30));
      assertThat(node.get("/health", null).status()).isEqualTo(200);
    }
    assertThat(cluster.node(AppName.CORE).get("/api/cluster/ping/tot", operator).status()).isEqualTo(200);
    NodeProcess.Answer gone = cluster.node(AppName.CORE).get("/api/cluster/ping/storefront", operator);
    assertThat(gone.status()).isEqualTo(503);
    assertThat(gone.json().getString("error")).isEqualTo("peer_unavailable");

    cluster.restart(AppName.STOREFRONT);
    assertThat(cluster.node(AppName.STOREFRONT).get("/api/cluster/ping/core",
        TestTokens.operator(cluster.jwtSecret(), AppName.STOREFRONT)).status()).isEqualTo(200);
  }
}
