package io.slabtrack.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.auth.Role;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.TestTokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SSO across JVMs: a handoff token minted by core and used on one ToT node is refused on a second ToT node (the
 * used-jti map is cluster-wide), a user disabled on core is locked out of ToT on another JVM within a minute, and
 * an operator demoted on core loses their ToT session on another JVM within seconds.
 */
class HandoffReplayIT {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
  private static ClusterFixture cluster;
  private static NodeProcess secondTot;

  @BeforeAll
  static void start() throws Exception {
    cluster = ClusterFixture.shared();
    secondTot = cluster.startExtraNode(AppName.TOT, Map.of());
    secondTot.awaitReady(a -> a.status() == 200 && a.members() >= 4, ClusterFixture.FORMATION_TIMEOUT);
  }

  @AfterAll
  static void stop() throws Exception {
    secondTot.close();
  }

  private static HttpResponse<String> send(String url, String method, JsonObject body, String bearer)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.encode()))
        .header("Content-Type", "application/json");
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String handoffToTot(String session) throws Exception {
    HttpResponse<String> r = send(cluster.node(AppName.CORE).url("/api/auth/handoff"), "POST",
        new JsonObject().put("target", "tot").put("next", "/"), session);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body()).getString("token");
  }

  /** A user created through core's API with {@code roles}; its id. */
  private static long createUser(String operator, String... roles) throws Exception {
    HttpResponse<String> created = send(cluster.node(AppName.CORE).url("/api/users"), "POST",
        new JsonObject().put("email", "it-" + UUID.randomUUID() + "@example.test")
            .put("roles", new JsonArray(List.of((Object[]) roles))), operator);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return new JsonObject(created.body()).getLong("id");
  }

  @Test
  void aHandoffUsedOnOneTotNodeIsRefusedOnTheOther() throws Exception {
    // core mints handoffs only for users in its database, with the roles it has for them
    long id = createUser(TestTokens.operator(cluster.jwtSecret()), "buyer");
    String session = TestTokens.session(cluster.jwtSecret(), Long.toString(id), Role.BUYER);
    NodeProcess firstTot = cluster.node(AppName.TOT);
    for (NodeProcess[] order : new NodeProcess[][] {{firstTot, secondTot}, {secondTot, firstTot}}) {
      String token = handoffToTot(session);
      HttpResponse<String> first = send(order[0].url("/auth/handoff?token=" + token + "&next=/"), "GET", null, null);
      assertThat(first.statusCode()).as(first.body()).isEqualTo(302);
      // node mode is production: the __Host- prefixed, Secure cookie of API-CONVENTIONS.md
      assertThat(first.headers().firstValue("Set-Cookie").orElseThrow()).startsWith("__Host-st_tot=")
          .contains("Secure").containsIgnoringCase("HttpOnly").contains("SameSite=Lax").contains("Path=/");
      HttpResponse<String> replay = send(order[1].url("/auth/handoff?token=" + token + "&next=/"), "GET", null,
          null);
      assertThat(replay.statusCode()).as("second use on " + order[1].name()).isEqualTo(401);
      assertThat(new JsonObject(replay.body()).getString("error")).isEqualTo("handoff_used");
      assertThat(replay.headers().firstValue("Set-Cookie")).isEmpty();
    }
  }

  @Test
  void aUserDisabledOnCoreIsLockedOutOfTotOnAnotherJvm() throws Exception {
    String operator = TestTokens.operator(cluster.jwtSecret());
    long id = createUser(operator, "operator");
    String session = TestTokens.session(cluster.jwtSecret(), AppName.TOT, Long.toString(id), Role.OPERATOR);
    assertThat(send(secondTot.url("/api/outbox"), "GET", null, session).statusCode()).isEqualTo(200);

    send(cluster.node(AppName.CORE).url("/api/users/" + id), "PATCH", new JsonObject().put("disabled", true),
        operator);
    io.slabtrack.cluster.testing.Poll.until("locked out within a minute", Duration.ofSeconds(60),
        () -> send(secondTot.url("/api/outbox"), "GET", null, session).statusCode(), status -> status == 401);
    assertThat(send(cluster.node(AppName.TOT).url("/api/outbox"), "GET", null, session).statusCode()).isEqualTo(401);
  }

  @Test
  void anOperatorDemotedOnCoreLosesTheirTotSessionOnAnotherJvmWithinSeconds() throws Exception {
    String operator = TestTokens.operator(cluster.jwtSecret());
    long id = createUser(operator, "operator", "buyer");
    String session = TestTokens.session(cluster.jwtSecret(), AppName.TOT, Long.toString(id), Role.OPERATOR,
        Role.BUYER);
    assertThat(send(secondTot.url("/api/outbox"), "GET", null, session).statusCode()).isEqualTo(200);

    HttpResponse<String> demoted = send(cluster.node(AppName.CORE).url("/api/users/" + id), "PATCH",
        new JsonObject().put("roles", new JsonArray().add("buyer")), operator);
    assertThat(demoted.statusCode()).as(demoted.body()).isEqualTo(200);
    io.slabtrack.cluster.testing.Poll.until("refused within 5 s on a ToT JVM core never talked to",
        Duration.ofSeconds(5), () -> send(secondTot.url("/api/outbox"), "GET", null, session).statusCode(),
        status -> status == 401);
  }
}
