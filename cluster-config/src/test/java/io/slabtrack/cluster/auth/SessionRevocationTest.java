package io.slabtrack.cluster.auth;

import static io.slabtrack.cluster.auth.ForgedTokens.header;
import static io.slabtrack.cluster.auth.ForgedTokens.hmac;
import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.BareModule;
import io.slabtrack.cluster.testing.Poll;
import io.slabtrack.cluster.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sessions-valid-after instant as every app's guard applies it: set through one app's context, it refuses the
 * user's tokens issued before it on both apps of the node (the other one learns it through the replicated map),
 * while newer tokens and other users are untouched.
 */
class SessionRevocationTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(new BareModule(AppName.CORE), new BareModule(AppName.TOT));
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  /** An operator session of {@code user} at {@code app}, issued {@code ageSeconds} ago ({@code iat}). */
  private static String session(String user, AppName app, long ageSeconds) {
    JsonObject claims = ForgedTokens.session("operator").put("sub", user).put("aud", app.id())
        .put("iat", Instant.now().getEpochSecond() - ageSeconds);
    return hmac(header("HS256", null), claims, TestNode.SECRET);
  }

  private static int outbox(AppName app, String token) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(node.url(app, "/api/outbox")))
        .header("Authorization", "Bearer " + token).build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  private static SessionsValidAfter validAfter() {
    return node.runtime(AppName.CORE).context().sessionsValidAfter();
  }

  @Test
  void tokensIssuedBeforeTheInstantAreRefusedOnEveryApp() throws Exception {
    for (AppName app : new AppName[] {AppName.CORE, AppName.TOT}) {
      assertThat(outbox(app, session("rv-1", app, 60))).isEqualTo(200);
    }
    validAfter().set("rv-1", Instant.now().minusSeconds(30)).await();

    Poll.until("the other app refuses the old token", Duration.ofSeconds(10),
        () -> status(AppName.TOT, session("rv-1", AppName.TOT, 60)) == 401);
    for (AppName app : new AppName[] {AppName.CORE, AppName.TOT}) {
      assertThat(outbox(app, session("rv-1", app, 60))).as("issued before, on " + app.id()).isEqualTo(401);
      assertThat(outbox(app, session("rv-1", app, 0))).as("issued after, on " + app.id()).isEqualTo(200);
      assertThat(outbox(app, session("rv-other", app, 60))).as("another user, on " + app.id()).isEqualTo(200);
    }
    JsonObject noIat = ForgedTokens.session("operator").put("sub", "rv-1");
    noIat.remove("iat");
    assertThat(outbox(AppName.CORE, hmac(header("HS256", null), noIat, TestNode.SECRET)))
        .as("no iat: cannot prove it is newer").isEqualTo(401);
  }

  @Test
  void replacingTheMapFromTheDatabaseTruthLiftsAndSetsInstants() throws Exception {
    validAfter().set("rv-2", Instant.now().minusSeconds(30)).await();
    assertThat(outbox(AppName.CORE, session("rv-2", AppName.CORE, 60))).isEqualTo(401);
    validAfter().replaceAll(Map.of("rv-3", Instant.now().minusSeconds(30))).await();
    assertThat(outbox(AppName.CORE, session("rv-2", AppName.CORE, 60))).isEqualTo(200);
    assertThat(outbox(AppName.CORE, session("rv-3", AppName.CORE, 60))).isEqualTo(401);
    validAfter().replaceAll(Map.of("rv-4", Instant.now().minus(SessionsValidAfter.KEEP).minusSeconds(1))).await();
    assertThat(outbox(AppName.CORE, session("rv-3", AppName.CORE, 60))).isEqualTo(200);
    assertThat(outbox(AppName.CORE, session("rv-4", AppName.CORE, 60)))
        .as("an instant older than any live session is not kept").isEqualTo(200);
  }

  private static int status(AppName app, String token) {
    try {
      return outbox(app, token);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
