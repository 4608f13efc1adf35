package io.slabtrack.cluster.auth;

import static io.slabtrack.cluster.auth.ForgedTokens.header;
import static io.slabtrack.cluster.auth.ForgedTokens.hmac;
import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.TestTokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The guards over real HTTP. Most refusals come with a control: the same token fixed in the one respect
 * under test is accepted, so each refusal is for the stated reason and not an accident of the fixture.
 */
@ExtendWith(VertxExtension.class)
class AuthHandlersTest {
  static final String CURRENT = JwtKeysTest.CURRENT;
  static final String PREVIOUS = JwtKeysTest.PREVIOUS;
  static final String OTHER = "some-other-secret-nobody-configured-0123";
  static final String CURRENT_KID = JwtKeys.fingerprint(CURRENT);
  static final String PREVIOUS_KID = JwtKeys.fingerprint(PREVIOUS);

  /** A node mid-rotation: current + previous key. */
  static AuthHttpFixture rotating;
  /** The same node after the rotation finished: the previous key is gone. */
  static AuthHttpFixture rotated;
  static TokenService tokens;

  @BeforeAll
  static void start(Vertx vertx) {
    tokens = new TokenService(vertx, JwtKeys.of(CURRENT, Optional.of(PREVIOUS)));
    rotating = AuthHttpFixture.start(vertx, tokens);
    rotated = AuthHttpFixture.start(vertx, new TokenService(vertx, JwtKeys.of(CURRENT, Optional.empty())));
  }

  @AfterAll
  static void stop() {
    rotating.stop();
    rotated.stop();
  }

  @Test
  void sessionByBearer() {
    JsonObject body = ok(rotating.bearer("/me", TestTokens.vendor(CURRENT)));
    assertThat(body.getString("sub")).isEqualTo(TestTokens.VENDOR_ID);
    assertThat(body.getString("typ")).isEqualTo("session");
    assertThat(body.getBoolean("viaCookie")).isFalse();
  }

  @Test
  void sessionByThisAppsCookieOnly() {
    JsonObject body = ok(rotating.get("/operator", "Cookie", "st_core=" + TestTokens.operator(CURRENT)));
    assertThat(body.getJsonArray("roles")).isEqualTo(new JsonArray().add("operator"));
    assertThat(body.getBoolean("viaCookie")).isTrue();
    // another app's cookie on the same dev host is not a credential here
    error(rotating.get("/me", "Cookie", "st_tot=" + TestTokens.operator(CURRENT)), 401, "unauthorized");
  }

  @Test
  void secureCookieNameIsHostPrefixed() {
    assertThat(new AuthHandlers(tokens, AppName.STOREFRONT, true).cookieName()).isEqualTo("__Host-st_storefront");
    assertThat(new AuthHandlers(tokens, AppName.TOT, false).cookieName()).isEqualTo("st_tot");
    String token = TestTokens.buyer(CURRENT);
    ok(rotating.get("/secure/me", "Cookie", "__Host-st_core=" + token));
    error(rotating.get("/secure/me", "Cookie", "st_core=" + token), 401, "unauthorized");
  }

  @Test
  void missingRoleIs403() {
    error(rotating.bearer("/operator", TestTokens.buyer(CURRENT)), 403, "forbidden");
    error(rotating.get("/operator", "Cookie", "st_core=" + TestTokens.vendor(CURRENT)), 403, "forbidden");
    ok(rotating.bearer("/operator", TestTokens.operator(CURRENT)));
  }

  @Test
  void noCredentialsIs401WithChallenge() {
    HttpResponse<String> r = rotating.get("/me");
    error(r, 401, "unauthorized");
    assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    error(rotating.get("/me", "Authorization", "Basic dXNlcjpwYXNz"), 401, "unauthorized");
    error(rotating.get("/me", "Authorization", "Bearer"), 401, "unauthorized");
  }

  @Test
  void algNoneIsRefused() {
    JsonObject payload = ForgedTokens.session("operator");
    error(rotating.bearer("/me", ForgedTokens.withSignature(header("none", CURRENT_KID), payload, "")), 401,
        "unauthorized");
    error(rotating.bearer("/me", ForgedTokens.withSignature(header("none", null), payload, "c2ln")), 401,
        "unauthorized");
    // "none" signed with the real key anyway: still not HS256, still refused
    error(rotating.bearer("/me", hmac(header("none", null), payload, CURRENT)), 401, "unauthorized",
        "Unsupported token algorithm");
    ok(rotating.bearer("/me", hmac(header("HS256", CURRENT_KID), payload, CURRENT)));
  }

  @Test
  void hs256WithAnotherSecretIsRefused() {
    JsonObject payload = ForgedTokens.session("operator");
    error(rotating.bearer("/me", hmac(header("HS256", CURRENT_KID), payload, OTHER)), 401, "unauthorized");
    error(rotating.bearer("/me", hmac(header("HS256", null), payload, OTHER)), 401, "unauthorized");
    error(rotating.bearer("/me", TestTokens.operator(OTHER)), 401, "unauthorized");
  }

  @Test
  void rs256HeaderOverTheHmacSecretIsRefused() {
    // the classic key-confusion forgery: claim RS256, sign with the shared secret as if it were an HMAC key
    JsonObject payload = ForgedTokens.session("operator");
    for (String alg : List.of("RS256", "HS384", "HS512", "ES256", "hs256")) {
      error(rotating.bearer("/me", hmac(header(alg, CURRENT_KID), payload, CURRENT)), 401, "unauthorized",
          "Unsupported token algorithm");
    }
  }

  @Test
  void unknownKidIsRefusedEvenWhenSignedWithTheCurrentKey() {
    JsonObject payload = ForgedTokens.session();
    error(rotating.bearer("/me", hmac(header("HS256", JwtKeys.fingerprint(OTHER)), payload, CURRENT)), 401,
        "unauthorized", "Token was signed with an unknown key");
    error(rotating.bearer("/me", hmac(header("HS256", "0000000000000000"), payload, CURRENT)), 401, "unauthorized");
    error(rotating.bearer("/me", hmac(header("HS256", null).put("kid", 7), payload, CURRENT)), 401, "unauthorized");
  }

  @Test
  void expiredIsRefusedBeyondFiveSecondsOfLeeway() {
    long now = Instant.now().getEpochSecond();
    error(rotating.bearer("/me", hmac(header("HS256", CURRENT_KID), ForgedTokens.session().put("exp", now - 60),
        CURRENT)), 401, "unauthorized");
    error(rotating.bearer("/me", hmac(header("HS256", CURRENT_KID), ForgedTokens.session().put("exp", now - 8),
        CURRENT)), 401, "unauthorized");
    ok(rotating.bearer("/me", hmac(header("HS256", CURRENT_KID), ForgedTokens.session().put("exp", now - 1),
        CURRENT)));
  }

  @Test
  void missingOrNonNumericExpIsRefused() {
    JsonObject noExp = ForgedTokens.session();
    noExp.remove("exp");
    // vertx-auth-jwt alone would accept this token (PLATFORM-FACTS.md): the refusal must be ours
    error(rotating.bearer("/me", hmac(header("HS256", CURRENT_KID), noExp, CURRENT)), 401, "unauthorized",
        "Token has no expiry");
    JsonObject stringExp = ForgedTokens.session().put("exp", String.valueOf(Instant.now().getEpochSecond() + 600));
    error(rotating.bearer("/me", hmac(header("HS256", CURRENT_KID), stringExp, CURRENT)), 401, "unauthorized");
  }

  @Test
  void wrongTypeIsRefused() {
    // session token on a service route
    error(rotating.bearer("/internal", TestTokens.operator(CURRENT)), 401, "unauthorized");
    // handoff token used as a bearer session
    error(rotating.bearer("/me", TestTokens.handoff(CURRENT, "u-1", AppName.CORE, Role.OPERATOR)), 401,
        "unauthorized");
    // service token on an operator route
    error(rotating.bearer("/operator", TestTokens.service(CURRENT, AppName.TOT, AppName.CORE)), 401, "unauthorized");
    // no typ at all
    JsonObject untyped = ForgedTokens.session("operator");
    untyped.remove("typ");
    error(rotating.bearer("/me", hmac(header("HS256", CURRENT_KID), untyped, CURRENT)), 401, "unauthorized");
  }

  @Test
  void serviceRouteNeedsThisAppAsAudience() {
    error(rotating.bearer("/internal", TestTokens.service(CURRENT, AppName.CORE, AppName.TOT)), 401, "unauthorized");
    JsonObject noAud = ForgedTokens.service("core");
    noAud.remove("aud");
    error(rotating.bearer("/internal", hmac(header("HS256", CURRENT_KID), noAud, CURRENT)), 401, "unauthorized");
    JsonObject body = ok(rotating.bearer("/internal", TestTokens.service(CURRENT, AppName.TOT, AppName.CORE)));
    assertThat(body.getString("sub")).isEqualTo("app:tot");
    JsonObject listAud = ForgedTokens.service("x").put("aud", new JsonArray().add("tot").add("core"));
    ok(rotating.bearer("/internal", hmac(header("HS256", CURRENT_KID), listAud, CURRENT)));
  }

  @Test
  void serviceRouteIgnoresCookies() {
    error(rotating.get("/internal", "Cookie", "st_core=" + TestTokens.service(CURRENT, AppName.TOT, AppName.CORE)),
        401, "unauthorized");
  }

  @Test
  void serviceOrSessionAcceptsEitherButStillChecksRolesAndAudience() {
    assertThat(ok(rotating.bearer("/either", TestTokens.service(CURRENT, AppName.TOT, AppName.CORE)))
        .getString("typ")).isEqualTo("service");
    assertThat(ok(rotating.bearer("/either", TestTokens.operator(CURRENT))).getString("typ")).isEqualTo("session");
    ok(rotating.get("/either", "Cookie", "st_core=" + TestTokens.operator(CURRENT)));
    error(rotating.bearer("/either", TestTokens.buyer(CURRENT)), 403, "forbidden");
    error(rotating.bearer("/either", TestTokens.service(CURRENT, AppName.TOT, AppName.STOREFRONT)), 401,
        "unauthorized");
    error(rotating.get("/either", "Cookie", "st_core=" + TestTokens.service(CURRENT, AppName.TOT, AppName.CORE)),
        401, "unauthorized");
    error(rotating.bearer("/either", TestTokens.handoff(CURRENT, "u-1", AppName.CORE, Role.OPERATOR)), 401,
        "unauthorized");
    error(rotating.get("/either"), 401, "unauthorized");
  }

  @Test
  void malformedTokensAreRefusedWithoutEchoingThem() {
    String good = TestTokens.operator(CURRENT);
    String[] parts = good.split("\\.");
    List<String> bad = List.of(
        "garbage",
        parts[0] + "." + parts[1],
        good + ".more",
        parts[0] + ".!!!!." + parts[2],
        ForgedTokens.b64("not json") + "." + parts[1] + "." + parts[2],
        parts[0] + "." + ForgedTokens.b64("[1,2,3]") + "." + parts[2],
        ForgedTokens.b64("null") + "." + parts[1] + "." + parts[2],
        parts[0] + "." + ForgedTokens.b64("null") + "." + parts[2],
        parts[0] + "." + ForgedTokens.b64("\"text\"") + "." + parts[2],
        parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 2),
        parts[0] + "." + ForgedTokens.b64(ForgedTokens.decodePart(good, 1).put("sub", "someone-else").encode())
            + "." + parts[2]);
    for (String token : bad) {
      HttpResponse<String> r = rotating.bearer("/me", token);
      error(r, 401, "unauthorized");
      assertThat(r.body()).doesNotContain(token).doesNotContain(parts[2]);
    }
  }

  @Test
  void hugeTokenIsRefused() {
    JsonObject big = ForgedTokens.session().put("pad", "x".repeat(8 * 1024));
    HttpResponse<String> r = rotating.bearer("/me", hmac(header("HS256", CURRENT_KID), big, CURRENT));
    error(r, 401, "unauthorized");
    assertThat(new JsonObject(r.body()).getString("message")).isEqualTo("Token is too large");
    // control: a large but legal token still passes
    JsonObject large = ForgedTokens.session().put("pad", "x".repeat(5 * 1024));
    ok(rotating.bearer("/me", hmac(header("HS256", CURRENT_KID), large, CURRENT)));
  }

  @Test
  void sessionsOfAnotherAppOrOfNoAppAreRefused() {
    for (AppName other : new AppName[] {AppName.TOT, AppName.STOREFRONT}) {
      String foreign = TestTokens.operator(CURRENT, other);
      error(rotating.bearer("/operator", foreign), 401, "unauthorized", "Token is not meant for this app");
      error(rotating.get("/operator", "Cookie", "st_core=" + foreign), 401, "unauthorized");
      error(rotating.bearer("/either", foreign), 401, "unauthorized");
    }
    JsonObject noAudience = ForgedTokens.session("operator");
    noAudience.remove("aud");
    error(rotating.bearer("/operator", hmac(header("HS256", CURRENT_KID), noAudience, CURRENT)), 401, "unauthorized",
        "Token is not meant for this app");
  }

  @Test
  void previousKeyWorksDuringRotationAndStopsAfterIt() {
    // minted by a node that has not rotated yet: its current key is our previous one
    TokenService oldNode = TestTokens.tokens(PREVIOUS);
    String token = oldNode.mintSession("u-9", null, Set.of(Role.OPERATOR), AppName.CORE, Duration.ofMinutes(5));
    assertThat(ForgedTokens.decodePart(token, 0).getString("kid")).isEqualTo(PREVIOUS_KID);

    assertThat(ok(rotating.bearer("/operator", token)).getString("sub")).isEqualTo("u-9");
    error(rotated.bearer("/operator", token), 401, "unauthorized", "Token was signed with an unknown key");
    // tokens from the current key are fine on both
    ok(rotated.bearer("/operator", TestTokens.operator(CURRENT)));
  }

  @Test
  void absentKidMeansTheCurrentKeyOnly() {
    JsonObject payload = ForgedTokens.session("operator");
    ok(rotating.bearer("/operator", hmac(header("HS256", null), payload, CURRENT)));
    error(rotating.bearer("/operator", hmac(header("HS256", null), payload, PREVIOUS)), 401, "unauthorized");
    // and a kid naming one key cannot be verified with the other
    error(rotating.bearer("/operator", hmac(header("HS256", PREVIOUS_KID), payload, CURRENT)), 401, "unauthorized");
    error(rotating.bearer("/operator", hmac(header("HS256", CURRENT_KID), payload, PREVIOUS)), 401, "unauthorized");
  }

  static JsonObject ok(HttpResponse<String> r) {
    assertThat(r.statusCode()).as("status of %s", r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  static void error(HttpResponse<String> r, int status, String code, String message) {
    error(r, status, code);
    assertThat(new JsonObject(r.body()).getString("message")).isEqualTo(message);
  }

  static void error(HttpResponse<String> r, int status, String code) {
    assertThat(r.statusCode()).as("status of %s", r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
    JsonObject body = new JsonObject(r.body());
    assertThat(body.getString("error")).isEqualTo(code);
    assertThat(body.getString("message")).isNotBlank();
    assertThat(body.getJsonObject("details")).isNotNull();
  }
}
