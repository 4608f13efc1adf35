package io.slabtrack.core.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.TestNode;
import io.slabtrack.core.CoreApp;
import io.slabtrack.core.testing.Browser;
import io.slabtrack.core.testing.Jwts;
import io.slabtrack.tot.TotApp;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Rotation: while JWT_SECRET_PREVIOUS holds the old key, sessions and handoffs signed with it (kid = its
 * fingerprint) still work on every app; once it is removed from config they are refused. New tokens use the new key.
 */
class KeyRotationTest {
  private static final String OLD = "the-old-secret-before-rotation-0123456789abcdef";
  private static final String NEW = "the-new-secret-after-rotation-0123456789abcdefgh";

  @Test
  void oldKeyTokensWorkWhilePreviousIsSetAndStopAfter() throws Exception {
    String oldSession = Jwts.nimbus(OLD, true, Jwts.session("u-1", "operator").build());
    String oldSessionNoKid = Jwts.nimbus(OLD, false, Jwts.session("u-1", "operator").build());
    try (TestNode during = TestNode.start(Map.of("JWT_SECRET", NEW, "JWT_SECRET_PREVIOUS", OLD), new CoreApp(),
        new TotApp())) {
      Browser b = new Browser();
      assertThat(b.get(during.url(AppName.CORE, "/api/users"), "Authorization", "Bearer " + oldSession)
          .statusCode()).isEqualTo(200);
      assertThat(b.get(during.url(AppName.CORE, "/api/users"), "Authorization", "Bearer " + oldSessionNoKid)
          .statusCode()).as("no kid means the current key only").isEqualTo(401);
      String oldHandoff = Jwts.nimbus(OLD, true, Jwts.handoff("u-1", "tot", 0).build());
      assertThat(b.get(during.url(AppName.TOT, "/auth/handoff?token=" + oldHandoff)).statusCode()).isEqualTo(302);
      assertThat(during.runtime(AppName.CORE).context().jwtKeys().currentKid())
          .isEqualTo(io.slabtrack.cluster.auth.JwtKeys.fingerprint(NEW));
      assertThat(b.get(during.url(AppName.TOT, "/ready")).statusCode()).as("rotation keeps nodes ready")
          .isEqualTo(200);
    }
    try (TestNode after = TestNode.start(Map.of("JWT_SECRET", NEW), new CoreApp(), new TotApp())) {
      Browser b = new Browser();
      assertThat(b.get(after.url(AppName.CORE, "/api/users"), "Authorization", "Bearer " + oldSession)
          .statusCode()).isEqualTo(401);
      String oldHandoff = Jwts.nimbus(OLD, true, Jwts.handoff("u-1", "tot", 0).build());
      assertThat(b.get(after.url(AppName.TOT, "/auth/handoff?token=" + oldHandoff)).statusCode()).isEqualTo(401);
      String newSession = Jwts.nimbus(NEW, true, Jwts.session("u-1", "operator").build());
      assertThat(b.get(after.url(AppName.CORE, "/api/users"), "Authorization", "Bearer " + newSession)
          .statusCode()).isEqualTo(200);
    }
  }
}
