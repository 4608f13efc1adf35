package io.slabtrack.core.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.TestNode;
import io.slabtrack.core.CoreApp;
import io.slabtrack.core.testing.Browser;
import io.slabtrack.core.testing.Mailbox;
import io.slabtrack.storefront.StorefrontApp;
import io.slabtrack.tot.TotApp;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Single sign-on as a browser does it, over real HTTP with a cookie jar: sign in on core with a mailed code, ask
 * core for a handoff, open it on ToT and on Storefront, and use each app's own session cookie there.
 */
class HandoffFlowTest {
  private static final String OPERATOR = "sso-operator@example.test";
  private static Mailbox mailbox;
  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    mailbox = new Mailbox();
    node = TestNode.start(mailbox.env(), new CoreApp(), new TotApp(), new StorefrontApp());
    node.runtime(AppName.CORE).context().pool()
        .preparedQuery("INSERT INTO users (email, roles) VALUES ($1, '{operator}')").execute(Tuple.of(OPERATOR))
        .await();
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
    mailbox.close();
  }

  static String core(String path) {
    return node.url(AppName.CORE, path);
  }

  /** Signs the browser in on core as the operator (code by mail) and returns it. */
  static Browser signedInOperator() throws Exception {
    Browser b = new Browser();
    int before = mailbox.to(OPERATOR).size();
    b.post(core("/api/auth/login/start"), new JsonObject().put("email", OPERATOR));
    String code = mailbox.awaitCode(OPERATOR, before + 1);
    HttpResponse<String> verified = b.post(core("/api/auth/login/verify"),
        new JsonObject().put("email", OPERATOR).put("code", code));
    assertThat(verified.statusCode()).isEqualTo(200);
    return b;
  }

  static JsonObject askHandoff(Browser b, String target, String next) throws Exception {
    HttpResponse<String> r = b.post(core("/api/auth/handoff"), new JsonObject().put("target", target)
        .put("next", next), "Origin", core(""));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Browser.json(r);
  }

  static String landing(AppName app, String token, String next) {
    return node.url(app, "/auth/handoff?token=" + token + "&next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
  }

  @Test
  void coreToTotAndStorefrontWithTheirOwnCookies() throws Exception {
    Browser b = signedInOperator();
    for (AppName app : new AppName[] {AppName.TOT, AppName.STOREFRONT}) {
      String cookie = "st_" + app.id();
      assertThat(b.get(node.url(app, "/api/outbox")).statusCode()).as("no session yet").isEqualTo(401);
      JsonObject handoff = askHandoff(b, app.id(), "/api/outbox?x=1");
      assertThat(handoff.getString("url")).contains("/auth/handoff?token=" + handoff.getString("token"))
          .endsWith("&next=%2Fapi%2Foutbox%3Fx%3D1");

      HttpResponse<String> landed = b.get(landing(app, handoff.getString("token"), "/api/outbox?x=1"));
      assertThat(landed.statusCode()).isEqualTo(302);
      assertThat(landed.headers().firstValue("Location")).contains("/api/outbox?x=1");
      assertThat(landed.headers().firstValue("Referrer-Policy")).contains("no-referrer");
      assertThat(landed.headers().firstValue("Cache-Control")).contains("no-store");
      assertThat(b.cookie(cookie)).isPresent();
      assertThat(b.get(node.url(app, "/api/outbox")).statusCode()).as("operator session by cookie").isEqualTo(200);

      Browser other = new Browser();
      HttpResponse<String> replay = other.get(landing(app, handoff.getString("token"), "/"));
      assertThat(replay.statusCode()).as("second use").isEqualTo(401);
      assertThat(Browser.json(replay).getString("error")).isEqualTo("handoff_used");
      assertThat(replay.headers().firstValue("Set-Cookie")).isEmpty();
      assertThat(other.cookie(cookie)).isEmpty();

      HttpResponse<String> out = b.post(node.url(app, "/api/auth/logout"), null, "Origin", node.url(app, ""));
      assertThat(out.statusCode()).isEqualTo(204);
      assertThat(b.cookie(cookie)).isEmpty();
      assertThat(b.get(node.url(app, "/api/outbox")).statusCode()).as("logged out").isEqualTo(401);
    }
  }

  @Test
  void aHandoffTokenForOneSatelliteIsRefusedByTheOther() throws Exception {
    Browser b = signedInOperator();
    String token = askHandoff(b, "storefront", "/").getString("token");
    HttpResponse<String> r = new Browser().get(landing(AppName.TOT, token, "/"));
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
  }

  @Test
  void coreValidatesTheHandoffRequest() throws Exception {
    Browser b = signedInOperator();
    String origin = core("");
    assertThat(b.post(core("/api/auth/handoff"), new JsonObject().put("target", "core"), "Origin", origin)
        .statusCode()).isEqualTo(400);
    assertThat(b.post(core("/api/auth/handoff"), new JsonObject().put("target", "tot")
        .put("next", "//evil.example"), "Origin", origin).statusCode()).isEqualTo(400);
    assertThat(new Browser().post(core("/api/auth/handoff"), new JsonObject().put("target", "tot")).statusCode())
        .as("no session").isEqualTo(401);
  }

  @Test
  void cookieSessionPostsFromAnotherOriginAreRefused() throws Exception {
    Browser b = signedInOperator();
    JsonObject body = new JsonObject().put("target", "tot");
    HttpResponse<String> noOrigin = b.post(core("/api/auth/handoff"), body);
    assertThat(noOrigin.statusCode()).isEqualTo(403);
    assertThat(Browser.json(noOrigin).getString("error")).isEqualTo("csrf_rejected");
    assertThat(b.post(core("/api/auth/handoff"), body, "Origin", "http://evil.example").statusCode()).isEqualTo(403);
    assertThat(b.post(core("/api/auth/handoff"), body, "Origin", "null").statusCode()).isEqualTo(403);
    assertThat(b.post(core("/api/auth/handoff"), body, "Referer", core("/somewhere")).statusCode())
        .as("same-origin Referer").isEqualTo(200);
    assertThat(b.post(core("/api/auth/handoff"), body, "Origin", core("")).statusCode()).isEqualTo(200);
    // the same request with the session as a bearer header is not a browser-driven request: no origin needed
    String token = b.cookie("st_core").orElseThrow();
    assertThat(new Browser().post(core("/api/auth/handoff"), body, "Authorization", "Bearer " + token).statusCode())
        .isEqualTo(200);
  }

  @Test
  void theHandoffTokenIsNeverLogged() throws Exception {
    Browser b = signedInOperator();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    root.addAppender(captured);
    try {
      String token = askHandoff(b, "tot", "/").getString("token");
      assertThat(b.get(landing(AppName.TOT, token, "/")).statusCode()).isEqualTo(302);
      assertThat(b.get(landing(AppName.TOT, token, "/")).statusCode()).isEqualTo(401);
      assertThat(new Browser().get(landing(AppName.TOT, token + "x", "/")).statusCode()).isEqualTo(401);
      assertThat(captured.list).isNotEmpty();
      String signature = token.substring(token.lastIndexOf('.') + 1);
      assertThat(captured.list).noneMatch(e -> e.getFormattedMessage().contains(signature));
    } finally {
      root.detachAppender(captured);
    }
  }
}
