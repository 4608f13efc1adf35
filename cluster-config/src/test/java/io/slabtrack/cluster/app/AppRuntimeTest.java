package io.slabtrack.cluster.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.BareModule;
import io.slabtrack.cluster.testing.TestNode;
import io.slabtrack.cluster.testing.TestTokens;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shared runtime of every app, in one JVM: readiness, the shared routes, auth on them, JSON errors. */
class AppRuntimeTest {
  private static TestNode node;
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(new BareModule(AppName.CORE) {
@Override
      public void mountRoutes(Router router, AppContext ctx) {
        router.get("/api/boom").handler(rc -> {
          throw new IllegalStateException("kaboom");
        });
      }
    });
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  private static HttpResponse<String> get(String path, String bearer) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.url(AppName.CORE, path)));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void readyReportsEveryCheck() throws Exception {
    HttpResponse<String> ready = get("/ready", null);
    assertThat(ready.statusCode()).isEqualTo(200);
    JsonObject body = new JsonObject(ready.body());
    assertThat(body.getJsonArray("checks").stream().map(c -> ((JsonObject) c).getString("id")))
        .containsExactlyInAnyOrder("database", "cluster", "jwt-keys");
    assertThat(get("/health", null).statusCode()).isEqualTo(200);
  }

  @Test
  void readyGivesAnonymousCallersTheOutlineOnly() throws Exception {
    for (String token : new String[] {null, "not-a-jwt", TestTokens.buyer(TestNode.SECRET),
        TestTokens.service(TestNode.SECRET, AppName.TOT, AppName.STOREFRONT)}) {
      HttpResponse<String> ready = get("/ready", token);
      assertThat(ready.statusCode()).as("token %s", token).isEqualTo(200);
      assertThat(ready.headers().firstValue("WWW-Authenticate")).isEmpty();
      JsonObject body = new JsonObject(ready.body());
      assertThat(body.getString("status")).isEqualTo("UP");
      assertThat(body.getJsonArray("checks").stream().map(JsonObject.class::cast))
          .extracting(c -> c.getString("id") + "=" + c.getString("status"))
          .containsExactlyInAnyOrder("database=UP", "cluster=UP", "jwt-keys=UP");
      assertThat(body.getJsonArray("checks").stream().map(JsonObject.class::cast))
          .allMatch(c -> c.fieldNames().equals(java.util.Set.of("id", "status")));
      assertThat(ready.body()).doesNotContain("memberAddresses").doesNotContain("127.0.0.1")
          .doesNotContain("fingerprints").doesNotContain("own").doesNotContain("nodeId");
    }
  }

  @Test
  void readyGivesOperatorsAndAppsTheDetails() throws Exception {
    for (String token : new String[] {TestTokens.operator(TestNode.SECRET),
        TestTokens.service(TestNode.SECRET, AppName.TOT, AppName.CORE)}) {
      HttpResponse<String> ready = get("/ready", token);
      assertThat(ready.statusCode()).isEqualTo(200);
      JsonObject cluster = new JsonObject(ready.body()).getJsonArray("checks").stream().map(JsonObject.class::cast)
          .filter(c -> "cluster".equals(c.getString("id"))).findFirst().orElseThrow();
      assertThat(cluster.getJsonObject("data").getInteger("members")).isEqualTo(1);
      assertThat(cluster.getJsonObject("data").getJsonArray("memberAddresses").getString(0)).contains(":");
      assertThat(ready.body()).contains("\"own\"");
    }
  }

  @Test
  void theOutlineOfAFailingCheckKeepsItsStatusAndDropsItsErrorText() {
    io.vertx.ext.healthchecks.CheckResult full = new io.vertx.ext.healthchecks.CheckResult().setChecks(java.util.List.of(
        io.vertx.ext.healthchecks.CheckResult.from("database", io.vertx.ext.healthchecks.Status.KO(
            new JsonObject().put("reason", "Connection refused: db.internal/10.0.0.7:5432"))),
        io.vertx.ext.healthchecks.CheckResult.from("cluster", io.vertx.ext.healthchecks.Status.OK(
            new JsonObject().put("memberAddresses", new io.vertx.core.json.JsonArray().add("10.0.0.8:5701"))))));
    JsonObject outline = io.slabtrack.cluster.health.HealthRoutes.outline(full).toJson();
    assertThat(outline.getString("status")).isEqualTo("DOWN");
    assertThat(outline.getJsonArray("checks").stream().map(JsonObject.class::cast))
        .extracting(c -> c.getString("id") + "=" + c.getString("status"))
        .containsExactly("database=DOWN", "cluster=UP");
    assertThat(outline.encode()).doesNotContain("10.0.0").doesNotContain("Connection refused");
  }

  @Test
  void sharedOperatorRoutesNeedAnOperatorSession() throws Exception {
    assertThat(get("/api/outbox", null).statusCode()).isEqualTo(401);
    assertThat(get("/api/outbox", TestTokens.buyer(TestNode.SECRET)).statusCode()).isEqualTo(403);
    HttpResponse<String> ok = get("/api/outbox", TestTokens.operator(TestNode.SECRET));
    assertThat(ok.statusCode()).isEqualTo(200);
    HttpResponse<String> ping = get("/api/cluster/ping/core", TestTokens.operator(TestNode.SECRET));
    assertThat(new JsonObject(ping.body()).getJsonObject("answeredBy").getString("app")).isEqualTo("core");
  }

  @Test
  void unknownRoutesAndCrashesAnswerWithTheJsonErrorBody() throws Exception {
    // deny by default: an anonymous caller learns nothing about which routes exist
    assertThat(get("/api/nope", null).statusCode()).isEqualTo(401);
    String operator = TestTokens.operator(TestNode.SECRET);
    HttpResponse<String> missing = get("/api/nope", operator);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(missing.body()).getString("error")).isEqualTo("not_found");
    HttpResponse<String> boom = get("/api/boom", operator);
    assertThat(boom.statusCode()).isEqualTo(500);
    JsonObject error = new JsonObject(boom.body());
    assertThat(error.getString("error")).isEqualTo("internal_error");
    assertThat(error.getJsonObject("details").getString("correlationId")).isNotBlank();
    assertThat(boom.body()).doesNotContain("kaboom");
  }
}
