package io.slabtrack.core.users;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.auth.Role;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.Poll;
import io.slabtrack.cluster.testing.TestNode;
import io.slabtrack.cluster.testing.TestTokens;
import io.slabtrack.core.CoreApp;
import io.slabtrack.core.login.CoreAuth;
import io.slabtrack.core.testing.Browser;
import io.slabtrack.tot.TotApp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The operator's user API on core, and a disabled user locked out of core and of ToT through the cluster cache. */
class UserApiTest {
  private static final String SECRET = TestNode.SECRET;
  private static final CoreApp CORE = new CoreApp();
  private static TestNode node;
  private final Browser http = new Browser();

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(CORE, new TotApp());
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  private static String core(String path) {
    return node.url(AppName.CORE, path);
  }

  private static String bearer(String token) {
    return TestTokens.bearer(token);
  }

  private HttpResponse<String> createUser(String email, JsonArray roles) throws Exception {
    JsonObject body = new JsonObject().put("email", email).put("displayName", "Shop " + email);
    if (roles != null) {
      body.put("roles", roles);
    }
    return http.post(core("/api/users"), body, "Authorization", bearer(TestTokens.operator(SECRET)));
  }

  private static String email() {
    return "v-" + UUID.randomUUID().toString().substring(0, 8) + "@Example.test";
  }

  @Test
  void onlyOperatorSessionsReachTheUserApi() throws Exception {
    assertThat(http.get(core("/api/users")).statusCode()).isEqualTo(401);
    assertThat(http.get(core("/api/users"), "Authorization", bearer(TestTokens.buyer(SECRET))).statusCode())
        .isEqualTo(403);
    assertThat(http.get(core("/api/users"), "Authorization", bearer(TestTokens.vendor(SECRET))).statusCode())
        .isEqualTo(403);
    assertThat(http.get(core("/api/users"), "Authorization",
        bearer(TestTokens.service(SECRET, AppName.TOT, AppName.CORE))).statusCode())
        .as("a service token on an operator route").isEqualTo(401);
    assertThat(http.get(core("/api/users"), "Authorization",
        bearer(TestTokens.handoff(SECRET, "x", AppName.CORE, Role.OPERATOR))).statusCode())
        .as("a handoff token as a bearer session").isEqualTo(401);
    assertThat(http.get(core("/api/users"), "Authorization", bearer(TestTokens.operator(SECRET))).statusCode())
        .isEqualTo(200);
  }

  @Test
  void operatorsCreateVendorsWithUniqueCaseInsensitiveEmails() throws Exception {
    String email = email();
    HttpResponse<String> created = createUser(email, null);
    assertThat(created.statusCode()).isEqualTo(201);
    JsonObject user = Browser.json(created);
    assertThat(user.getString("email")).isEqualTo(email.toLowerCase());
    assertThat(user.getJsonArray("roles")).containsExactly("vendor");
    assertThat(user.getBoolean("disabled")).isFalse();
    assertThat(created.headers().firstValue("Location")).contains("/api/users/" + user.getLong("id"));

    HttpResponse<String> duplicate = createUser(email.toUpperCase(), null);
    assertThat(duplicate.statusCode()).isEqualTo(409);
    assertThat(Browser.json(duplicate).getString("error")).isEqualTo("email_taken");

    assertThat(createUser(email(), new JsonArray().add("admin")).statusCode()).isEqualTo(400);
    assertThat(createUser("nope", null).statusCode()).isEqualTo(400);

    String op = bearer(TestTokens.operator(SECRET));
    HttpResponse<String> shown = http.get(core("/api/users/" + user.getLong("id")), "Authorization", op);
    assertThat(Browser.json(shown).getString("email")).isEqualTo(email.toLowerCase());
    assertThat(http.get(core("/api/users/999999"), "Authorization", op).statusCode()).isEqualTo(404);
    assertThat(http.get(core("/api/users/abc"), "Authorization", op).statusCode()).isEqualTo(400);
    JsonArray items = Browser.json(http.get(core("/api/users?limit=200"), "Authorization", op)).getJsonArray("items");
    assertThat(items.stream().map(o -> ((JsonObject) o).getString("email"))).contains(email.toLowerCase());

    HttpResponse<String> patched = http.patch(core("/api/users/" + user.getLong("id")),
        new JsonObject().put("roles", new JsonArray().add("vendor").add("buyer")), "Authorization", op);
    assertThat(patched.statusCode()).isEqualTo(200);
    assertThat(Browser.json(patched).getJsonArray("roles")).containsExactlyInAnyOrder("buyer", "vendor");
    assertThat(http.patch(core("/api/users/" + user.getLong("id")), new JsonObject().put("disabled", "yes"),
        "Authorization", op).statusCode()).isEqualTo(400);
  }

  @Test
  void aDisabledUserIsLockedOutOfEveryAppAndOnlyNewSessionsWorkWhenEnabled() throws Exception {
    long id = Browser.json(createUser(email(), new JsonArray().add("operator"))).getLong("id");
    String user = Long.toString(id);
    String session = bearer(TestTokens.session(SECRET, user, Role.OPERATOR));
    String totSession = bearer(TestTokens.session(SECRET, AppName.TOT, user, Role.OPERATOR));
    String tot = node.url(AppName.TOT, "/api/outbox");
    assertThat(http.get(core("/api/auth/me"), "Authorization", session).statusCode()).isEqualTo(200);
    assertThat(http.get(tot, "Authorization", totSession).statusCode()).isEqualTo(200);

    String op = bearer(TestTokens.operator(SECRET));
    HttpResponse<String> disabled = http.patch(core("/api/users/" + id), new JsonObject().put("disabled", true),
        "Authorization", op);
    assertThat(Browser.json(disabled).getBoolean("disabled")).isTrue();
    awaitStatus(core("/api/auth/me"), session, 401);
    awaitStatus(tot, totSession, 401);
    HttpResponse<String> refused = http.get(tot, "Authorization", totSession);
    assertThat(Browser.json(refused).getString("message")).contains("disabled");
    assertThat(http.get(tot, "Authorization", bearer(TestTokens.session(SECRET, AppName.TOT, user, Role.OPERATOR)))
        .statusCode()).as("a session minted while disabled").isEqualTo(401);

    http.patch(core("/api/users/" + id), new JsonObject().put("disabled", false), "Authorization", op);
    // a person signing in again gets in; the tokens from before the disable stay dead (someone else may hold them)
    awaitFreshSession(tot, () -> bearer(TestTokens.session(SECRET, AppName.TOT, user, Role.OPERATOR)));
    assertThat(http.get(tot, "Authorization", totSession).statusCode()).as("old ToT session").isEqualTo(401);
    assertThat(http.get(core("/api/auth/me"), "Authorization", session).statusCode()).as("old core session")
        .isEqualTo(401);
  }

  @Test
  void theListPagesById() throws Exception {
    createUser(email(), null);
    createUser(email(), null);
    String op = bearer(TestTokens.operator(SECRET));
    JsonObject first = Browser.json(http.get(core("/api/users?limit=1"), "Authorization", op));
    assertThat(first.getJsonArray("items")).hasSize(1);
    long after = first.getLong("nextAfter");
    assertThat(first.getJsonArray("items").getJsonObject(0).getLong("id")).isEqualTo(after);
    JsonObject second = Browser.json(http.get(core("/api/users?limit=1&after=" + after), "Authorization", op));
    assertThat(second.getJsonArray("items").getJsonObject(0).getLong("id")).isGreaterThan(after);
    assertThat(http.get(core("/api/users?limit=-1"), "Authorization", op).statusCode()).isEqualTo(400);
  }

  @Test
  void operatorsCannotLockThemselvesOut() throws Exception {
    long id = Browser.json(createUser(email(), new JsonArray().add("operator"))).getLong("id");
    String self = bearer(TestTokens.session(SECRET, Long.toString(id), Role.OPERATOR));
    HttpResponse<String> r = http.patch(core("/api/users/" + id), new JsonObject().put("disabled", true),
        "Authorization", self);
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(http.patch(core("/api/users/" + id), new JsonObject().put("roles", new JsonArray().add("vendor")),
        "Authorization", self).statusCode()).isEqualTo(409);
  }

  @Test
  void theDemoOperatorSeedIsIdempotent() throws Exception {
    var ctx = node.runtime(AppName.CORE).context();
    CORE.seedDemo(ctx).await();
    CORE.seedDemo(ctx).await();
    JsonArray items = Browser.json(http.get(core("/api/users?limit=200"), "Authorization",
        bearer(TestTokens.operator(SECRET)))).getJsonArray("items");
    var demo = items.stream().map(o -> (JsonObject) o)
        .filter(u -> u.getString("email").equals(CoreAuth.DEMO_OPERATOR)).toList();
    assertThat(demo).hasSize(1);
    assertThat(demo.get(0).getJsonArray("roles")).contains("operator");
  }

  /**
   * A session minted now works within a second: one minted in the same second as the revocation is refused too
   * ({@code iat} has whole seconds), so each try mints a new one.
   */
  private void awaitFreshSession(String url, Supplier<String> mint) throws Exception {
    Poll.until("a fresh session works at " + url, Duration.ofSeconds(10), () -> {
      try {
        return http.get(url, "Authorization", mint.get()).statusCode() == 200;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
  }

  /** The lockout promise is "within a minute"; the replicated map usually makes it milliseconds. */
  private void awaitStatus(String url, String auth, int status) throws Exception {
    io.slabtrack.cluster.testing.Poll.until(url + " answering " + status, java.time.Duration.ofSeconds(60),
        () -> http.get(url, "Authorization", auth).statusCode(), last -> last == status);
  }
}
