package io.slabtrack.core.users;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import io.slabtrack.cluster.auth.Role;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.TestNode;
import io.slabtrack.cluster.testing.TestTokens;
import io.slabtrack.core.CoreApp;
import io.slabtrack.core.testing.Browser;
import io.slabtrack.storefront.StorefrontApp;
import io.slabtrack.tot.TotApp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, "role changes take effect": a demoted operator's existing sessions stop working on every app within
 * seconds, a handoff carries the roles core's database has now (not the caller's token's), and a session works only
 * at the app that issued it.
 */
class RoleChangesTakeEffectTest {
  private static final String SECRET = TestNode.SECRET;
  private static final String OPERATOR = TestTokens.bearer(TestTokens.operator(SECRET));
  /** An operator-only route on each app. */
  private static final Map<AppName, String> OPERATOR_ROUTE = Map.of(
      AppName.CORE, "/api/users", AppName.TOT, "/api/outbox", AppName.STOREFRONT, "/api/outbox");
  private static TestNode node;
  private final Browser http = new Browser();

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(new CoreApp(), new TotApp(), new StorefrontApp());
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  private long createUser(String... roles) throws Exception {
    HttpResponse<String> r = http.post(node.url(AppName.CORE, "/api/users"), new JsonObject()
        .put("email", "rc-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test")
        .put("roles", new JsonArray(List.of((Object[]) roles))), "Authorization", OPERATOR);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return Browser.json(r).getLong("id");
  }

  private int status(AppName app, String token) throws Exception {
    return http.get(node.url(app, OPERATOR_ROUTE.get(app)), "Authorization", TestTokens.bearer(token)).statusCode();
  }

  private static String session(AppName app, long userId, Role... roles) {
    return TestTokens.session(SECRET, app, Long.toString(userId), roles);
  }

  private HttpResponse<String> patchRoles(long id, String... roles) throws Exception {
    HttpResponse<String> r = http.patch(node.url(AppName.CORE, "/api/users/" + id),
        new JsonObject().put("roles", new JsonArray(List.of((Object[]) roles))), "Authorization", OPERATOR);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r;
  }

  private static JsonObject claims(String token) throws Exception {
    return new JsonObject(SignedJWT.parse(token).getJWTClaimsSet().toJSONObject());
  }

  @Test
  void aDemotedOperatorsSessionsAreRefusedByEveryAppWithinSeconds() throws Exception {
    long id = createUser("operator", "buyer");
    Map<AppName, String> sessions = Map.of(
        AppName.CORE, session(AppName.CORE, id, Role.OPERATOR, Role.BUYER),
        AppName.TOT, session(AppName.TOT, id, Role.OPERATOR, Role.BUYER),
        AppName.STOREFRONT, session(AppName.STOREFRONT, id, Role.OPERATOR, Role.BUYER));
    for (AppName app : sessions.keySet()) {
      assertThat(status(app, sessions.get(app))).as("before, on " + app.id()).isEqualTo(200);
    }

    patchRoles(id, "buyer");
    long demoted = System.nanoTime();
    for (AppName app : sessions.keySet()) {
      long left = Math.max(0, 5_000_000_000L - (System.nanoTime() - demoted));
      io.slabtrack.cluster.testing.Poll.until("the demoted operator's session refused on " + app.id() + " within 5 s",
          java.time.Duration.ofNanos(left), () -> status(app, sessions.get(app)), last -> last == 401);
    }
    // nor can the old core session buy a fresh satellite session
    HttpResponse<String> handoff = http.post(node.url(AppName.CORE, "/api/auth/handoff"),
        new JsonObject().put("target", "tot"), "Authorization", TestTokens.bearer(sessions.get(AppName.CORE)));
    assertThat(handoff.statusCode()).isEqualTo(401);
  }

  @Test
  void savingTheSameRolesAgainEndsNobodysSession() throws Exception {
    long id = createUser("vendor", "operator");
    String session = session(AppName.TOT, id, Role.OPERATOR, Role.VENDOR);
    patchRoles(id, "operator", "vendor");
    http.patch(node.url(AppName.CORE, "/api/users/" + id), new JsonObject().put("displayName", "Renamed"),
        "Authorization", OPERATOR);
    assertThat(status(AppName.TOT, session)).isEqualTo(200);
  }

  @Test
  void aHandoffCarriesTheRolesOfTheDatabaseNotThoseOfTheCallersToken() throws Exception {
    long id = createUser("buyer");
    // a core session that still claims operator (as one minted before a demotion would)
    String stale = TestTokens.bearer(session(AppName.CORE, id, Role.OPERATOR));
    Browser browser = new Browser();
    HttpResponse<String> asked = browser.post(node.url(AppName.CORE, "/api/auth/handoff"),
        new JsonObject().put("target", "tot").put("next", "/"), "Authorization", stale);
    assertThat(asked.statusCode()).as(asked.body()).isEqualTo(200);
    String handoff = Browser.json(asked).getString("token");
    assertThat(claims(handoff).getJsonArray("roles")).containsExactly("buyer");

    HttpResponse<String> landed = browser.get(node.url(AppName.TOT, "/auth/handoff?token="
        + URLEncoder.encode(handoff, StandardCharsets.UTF_8) + "&next=/"));
    assertThat(landed.statusCode()).isEqualTo(302);
    String totSession = browser.cookie("st_tot").orElseThrow();
    assertThat(claims(totSession).getJsonArray("roles")).containsExactly("buyer");
    assertThat(browser.get(node.url(AppName.TOT, "/api/outbox")).statusCode()).as("no operator on ToT")
        .isEqualTo(403);
  }

  @Test
  void aDisabledAccountGetsNoHandoffEvenBeforeTheClusterHearsOfIt() throws Exception {
    long id = createUser("operator");
    // straight in the database: the cluster map does not know yet, only core's database does
    node.runtime(AppName.CORE).context().pool().preparedQuery("UPDATE users SET disabled = true WHERE id = $1")
        .execute(Tuple.of(id)).await();
    HttpResponse<String> r = http.post(node.url(AppName.CORE, "/api/auth/handoff"),
        new JsonObject().put("target", "storefront"), "Authorization",
        TestTokens.bearer(session(AppName.CORE, id, Role.OPERATOR)));
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).doesNotContain("token\"");
  }

  @Test
  void aSessionIssuedByTotIsRefusedByCoreAndStorefront() throws Exception {
    long id = createUser("operator");
    Browser browser = new Browser();
    HttpResponse<String> asked = browser.post(node.url(AppName.CORE, "/api/auth/handoff"),
        new JsonObject().put("target", "tot").put("next", "/"), "Authorization",
        TestTokens.bearer(session(AppName.CORE, id, Role.OPERATOR)));
    assertThat(asked.statusCode()).as(asked.body()).isEqualTo(200);
    browser.get(node.url(AppName.TOT, "/auth/handoff?token="
        + URLEncoder.encode(Browser.json(asked).getString("token"), StandardCharsets.UTF_8) + "&next=/"));
    String totSession = browser.cookie("st_tot").orElseThrow();
    assertThat(claims(totSession).getString("aud")).isEqualTo("tot");

    assertThat(status(AppName.TOT, totSession)).as("at ToT, which issued it").isEqualTo(200);
    assertThat(status(AppName.CORE, totSession)).as("at core").isEqualTo(401);
    assertThat(status(AppName.STOREFRONT, totSession)).as("at Storefront").isEqualTo(401);
    assertThat(http.get(node.url(AppName.CORE, "/api/users"), "Cookie", "st_core=" + totSession).statusCode())
        .as("as core's cookie").isEqualTo(401);
    assertThat(http.get(node.url(AppName.STOREFRONT, "/api/outbox"), "Cookie", "st_storefront=" + totSession)
        .statusCode()).as("as Storefront's cookie").isEqualTo(401);
  }
}
