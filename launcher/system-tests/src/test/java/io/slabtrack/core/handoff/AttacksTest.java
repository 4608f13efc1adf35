package io.slabtrack.core.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.TestNode;
import io.slabtrack.cluster.testing.TestTokens;
import io.slabtrack.core.CoreApp;
import io.slabtrack.core.testing.Browser;
import io.slabtrack.core.testing.Jwts;
import io.slabtrack.tot.TotApp;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The "bad input and attacks", end to end against running apps: each fails closed (401 or 400, no cookie,
 * no redirect), while valid tokens minted by an independent JWT library (Nimbus) are accepted.
 */
class AttacksTest {
  private static final String SECRET = TestNode.SECRET;
  private static final String OTHER = "another-secret-of-plenty-length-0123456789-abcdef";
  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(new CoreApp(), new TotApp());
    node.runtime(AppName.TOT).context().disabledUsers().disable("u-disabled").await();
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  static String landing(String token, String next) {
    return node.url(AppName.TOT, "/auth/handoff?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)
        + "&next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
  }

  static JsonObject handoffPayload(long ageSeconds) {
    return Jwts.payload(Jwts.handoff("u-1", "tot", ageSeconds).build());
  }

  static Stream<Arguments> badHandoffs() throws Exception {
    long now = Instant.now().getEpochSecond();
    JsonObject hs = new JsonObject().put("alg", "HS256").put("typ", "JWT");
    return Stream.of(
        Arguments.of("alg none", Jwts.unsigned(handoffPayload(0))),
        Arguments.of("alg none, signed", Jwts.forged(new JsonObject().put("alg", "none"), handoffPayload(0), SECRET)),
        Arguments.of("HS256 with another secret", Jwts.nimbus(OTHER, false, Jwts.handoff("u-1", "tot", 0).build())),
        Arguments.of("RS256 header over the HS secret",
            Jwts.forged(new JsonObject().put("alg", "RS256").put("typ", "JWT"), handoffPayload(0), SECRET)),
        Arguments.of("unknown kid", Jwts.forged(hs.copy().put("kid", "0123456789abcdef"), handoffPayload(0), SECRET)),
        Arguments.of("70 s old", Jwts.nimbus(SECRET, true, Jwts.handoff("u-1", "tot", 70).build())),
        Arguments.of("missing exp", Jwts.forged(hs, handoffPayload(0).copy().put("exp", (Object) null), SECRET)),
        Arguments.of("exp as text", Jwts.forged(hs, handoffPayload(0).put("exp", String.valueOf(now + 30)), SECRET)),
        Arguments.of("lives an hour", Jwts.nimbus(SECRET, true, Jwts.handoff("u-1", "tot", 0)
            .expirationTime(Date.from(Instant.now().plusSeconds(3600))).build())),
        Arguments.of("aud storefront", Jwts.nimbus(SECRET, true, Jwts.handoff("u-1", "storefront", 0).build())),
        Arguments.of("aud core", Jwts.nimbus(SECRET, true, Jwts.handoff("u-1", "core", 0).build())),
        Arguments.of("no jti", Jwts.nimbus(SECRET, true, Jwts.handoff("u-1", "tot", 0).jwtID(null).build())),
        Arguments.of("another issuer", Jwts.nimbus(SECRET, true, Jwts.handoff("u-1", "tot", 0).issuer("x").build())),
        Arguments.of("session token", TestTokens.operator(SECRET)),
        Arguments.of("session by nimbus", Jwts.nimbus(SECRET, true, Jwts.session("u-1", "operator").build())),
        Arguments.of("service token", TestTokens.service(SECRET, AppName.CORE, AppName.TOT)),
        Arguments.of("disabled user", Jwts.nimbus(SECRET, true, Jwts.handoff("u-disabled", "tot", 0).build())),
        Arguments.of("garbage", "not-a-token"),
        Arguments.of("three dots", "a.b.c"),
        Arguments.of("empty segments", ".."),
        Arguments.of("tampered", tamper(Jwts.nimbus(SECRET, true, Jwts.handoff("u-1", "tot", 0).build()))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badHandoffs")
  void badHandoffTokensAre401AndSetNothing(String name, String token) throws Exception {
    Browser b = new Browser();
    HttpResponse<String> r = b.get(landing(token, "/"));
    assertThat(r.statusCode()).as(name + ": " + r.body()).isEqualTo(401);
    assertThat(Browser.json(r).getString("error")).isIn("unauthorized", "handoff_used");
    assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
    assertThat(r.headers().firstValue("Location")).isEmpty();
    assertThat(r.body()).doesNotContain(token.length() > 12 ? token.substring(token.length() - 12) : "\u0000");
  }

  @ParameterizedTest(name = "next={0}")
  @ValueSource(strings = {"//evil.example", "https://evil.example/", "http:evil.example", "/\\evil.example",
      "\\\\evil.example", "/\\/evil.example", "javascript:alert(1)", "/ok\r\nSet-Cookie: x=y", "/\t/evil.example",
      "evil.example", "/caf\u00e9"})
  void offSiteNextIsRefusedBeforeTheTokenIsSpent(String next) throws Exception {
    String token = Jwts.nimbus(SECRET, true, Jwts.handoff("u-1", "tot", 0).build());
    Browser b = new Browser();
    HttpResponse<String> r = b.get(landing(token, next));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(Browser.json(r).getJsonObject("details").getString("field")).isEqualTo("next");
    assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
    assertThat(r.headers().firstValue("Location")).isEmpty();
    assertThat(b.get(landing(token, "/home")).statusCode()).as("token still unused").isEqualTo(302);
  }

  @Test
  void handoffTokensFromAnIndependentLibraryAreAccepted() throws Exception {
    for (boolean kid : new boolean[] {true, false}) {
      Browser b = new Browser();
      HttpResponse<String> r = b.get(landing(Jwts.nimbus(SECRET, kid, Jwts.handoff("u-1", "tot", 3).build()), "/x"));
      assertThat(r.statusCode()).isEqualTo(302);
      assertThat(r.headers().firstValue("Location")).contains("/x");
      assertThat(b.cookie("st_tot")).isPresent();
    }
  }

  static Stream<Arguments> badSessions() throws Exception {
    JsonObject session = Jwts.payload(Jwts.session("u-1", "operator").build());
    JsonObject hs = new JsonObject().put("alg", "HS256").put("typ", "JWT");
    return Stream.of(
        Arguments.of("alg none", Jwts.unsigned(session)),
        Arguments.of("another secret", Jwts.nimbus(OTHER, true, Jwts.session("u-1", "operator").build())),
        Arguments.of("RS256 header", Jwts.forged(new JsonObject().put("alg", "RS256"), session, SECRET)),
        Arguments.of("unknown kid", Jwts.forged(hs.copy().put("kid", "feedfacefeedface"), session, SECRET)),
        Arguments.of("expired", Jwts.nimbus(SECRET, true, Jwts.session("u-1", "operator")
            .expirationTime(Date.from(Instant.now().minusSeconds(10))).build())),
        Arguments.of("missing exp", Jwts.forged(hs, session.copy().put("exp", (Object) null), SECRET)),
        Arguments.of("handoff as session", Jwts.nimbus(SECRET, true, Jwts.handoff("u-1", "core", 0).build())),
        Arguments.of("service token", TestTokens.service(SECRET, AppName.TOT, AppName.CORE)),
        Arguments.of("typ missing", Jwts.forged(hs, session.copy().put("typ", (Object) null), SECRET)),
        Arguments.of("malformed", "eyJhbGciOiJIUzI1NiJ9.e30"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badSessions")
  void badSessionsOnAnOperatorRouteAre401(String name, String token) throws Exception {
    Browser b = new Browser();
    HttpResponse<String> bearer = b.get(node.url(AppName.CORE, "/api/users"), "Authorization", "Bearer " + token);
    assertThat(bearer.statusCode()).as(name).isEqualTo(401);
    HttpResponse<String> cookie = b.get(node.url(AppName.CORE, "/api/users"), "Cookie", "st_core=" + token);
    assertThat(cookie.statusCode()).as(name + " as cookie").isEqualTo(401);
  }

  @Test
  void aValidNimbusSessionIsAcceptedOnCore() throws Exception {
    String token = Jwts.nimbus(SECRET, false, Jwts.session("u-1", "operator").build());
    assertThat(new Browser().get(node.url(AppName.CORE, "/api/users"), "Authorization", "Bearer " + token)
        .statusCode()).isEqualTo(200);
  }

  @Test
  void oversizedCredentialsFailClosed() throws Exception {
    String huge = "a".repeat(20_000);
    Browser b = new Browser();
    HttpResponse<String> header = b.get(node.url(AppName.CORE, "/api/users"), "Authorization", "Bearer " + huge);
    assertThat(header.statusCode()).isIn(400, 401, 431);
    HttpResponse<String> bigButParsable = b.get(node.url(AppName.CORE, "/api/users"), "Authorization",
        "Bearer " + "a".repeat(7_000) + ".b.c");
    assertThat(bigButParsable.statusCode()).isEqualTo(401);
    HttpResponse<String> query = b.get(landing(huge, "/"));
    assertThat(query.statusCode()).isIn(400, 401, 414);
    assertThat(query.headers().firstValue("Set-Cookie")).isEmpty();
    assertThat(b.cookie("st_tot")).isEmpty();
  }

  private static String tamper(String token) {
    int dot = token.indexOf('.');
    String payload = new String(java.util.Base64.getUrlDecoder().decode(token.substring(dot + 1,
        token.indexOf('.', dot + 1))), StandardCharsets.UTF_8).replace("\"u-1\"", "\"u-2\"");
    return token.substring(0, dot + 1)
        + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8))
        + token.substring(token.indexOf('.', dot + 1));
  }

}
