package io.slabtrack.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A node with another JWT secret joins but is loudly not ready; the correctly configured nodes stay ready. */
class JwtKeyAgreementIT {

  @Test
  void aNodeWithAnotherSecretIsUnreadyAndTheOthersStayReady() throws Exception {
    ClusterFixture cluster = ClusterFixture.shared();
    try (NodeProcess rogue = cluster.startExtraNode(AppName.TOT,
        Map.of("JWT_SECRET", "a-completely-different-secret-of-enough-length-0123456789"))) {
      NodeProcess.Answer answer = rogue.awaitReady(a -> a.status() == 503 && a.members() == 4,
          ClusterFixture.FORMATION_TIMEOUT);
      var jwt = answer.check("jwt-keys").orElseThrow();
      assertThat(jwt.getString("status")).isEqualTo("DOWN");
      assertThat(jwt.getJsonObject("data").getString("reason")).contains("JWT key mismatch").contains("JWT_SECRET");
      assertThat(rogue.output()).contains("JWT key mismatch");
      for (AppName app : AppName.values()) {
        NodeProcess.Answer ok = cluster.node(app).awaitMembers(4, Duration.ofSeconds(30));
        assertThat(ok.status()).isEqualTo(200);
      }
    }
  }

  @Test
  void aSecondKeyInRotationStillAgrees() throws Exception {
    ClusterFixture cluster = ClusterFixture.shared();
    // new current key, previous = the cluster's key: a rolling rotation never marks a node unready
    try (NodeProcess rotated = cluster.startExtraNode(AppName.STOREFRONT, Map.of(
        "JWT_SECRET", "the-next-secret-after-rotation-0123456789abcdef",
        "JWT_SECRET_PREVIOUS", cluster.jwtSecret()))) {
      NodeProcess.Answer answer = rotated.awaitReady(a -> a.status() == 200 && a.members() == 4,
          ClusterFixture.FORMATION_TIMEOUT);
      assertThat(answer.check("jwt-keys").orElseThrow().getString("status")).isEqualTo("UP");
    }
  }
}
