package io.slabtrack.core.login;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import io.slabtrack.cluster.auth.JwtKeys;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.metrics.NodeMetrics;
import io.slabtrack.cluster.testing.RateWindowRoom;
import io.slabtrack.cluster.testing.TestNode;
import io.slabtrack.core.CoreApp;
import io.slabtrack.core.testing.Browser;
import io.slabtrack.core.testing.Mailbox;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Passwordless login end to end: core over real HTTP, codes through a real SMTP server (GreenMail). */
@ExtendWith(RateWindowRoom.class)
class LoginFlowTest {
  private static Mailbox mailbox;
  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    mailbox = new Mailbox();
    Map<String, String> env = new HashMap<>(mailbox.env());
    env.put("LOGIN_LIMIT_PER_EMAIL", "3");
    env.put("LOGIN_LIMIT_PER_ADDRESS", "1000");
    node = TestNode.start(env, new CoreApp());
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
    mailbox.close();
  }

  static String url(String path) {
    return node.url(AppName.CORE, path);
  }

  static String freshEmail() {
    return "user-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
  }

  static HttpResponse<String> start(Browser b, String email) throws Exception {
    return b.post(url("/api/auth/login/start"), new JsonObject().put("email", email));
  }

  static HttpResponse<String> verify(Browser b, String email, String code) throws Exception {
    return b.post(url("/api/auth/login/verify"), new JsonObject().put("email", email).put("code", code));
  }

  private Pool pool() {
    return node.runtime(AppName.CORE).context().pool();
  }

  @Test
  void theCodeArrivesByMailAndBuysOneSession() throws Exception {
    Browser b = new Browser();
    String email = freshEmail();
    assertThat(start(b, email.toUpperCase()).statusCode()).isEqualTo(202);
    String code = mailbox.awaitCode(email, 1);

    HttpResponse<String> ok = verify(b, "  " + email.toUpperCase() + " ", code);
    assertThat(ok.statusCode()).isEqualTo(200);
    JsonObject body = Browser.json(ok);
    assertThat(body.getJsonObject("user").getString("email")).isEqualTo(email);
    assertThat(body.getJsonObject("user").getJsonArray("roles")).containsExactly("buyer");
    assertThat(b.cookie("st_core")).contains(body.getString("token"));
    assertThat(ok.headers().firstValue("Set-Cookie").orElseThrow()).containsIgnoringCase("HttpOnly")
        .contains("SameSite=Lax").contains("Path=/").doesNotContain("Domain");

    // an independent JWT library agrees on signature, kid and the claims of API-CONVENTIONS.md
    SignedJWT jwt = SignedJWT.parse(body.getString("token"));
    assertThat(jwt.verify(new MACVerifier(TestNode.SECRET.getBytes(StandardCharsets.UTF_8)))).isTrue();
    assertThat(jwt.getHeader().getKeyID()).isEqualTo(JwtKeys.fingerprint(TestNode.SECRET));
    var claims = jwt.getJWTClaimsSet();
    assertThat(claims.getIssuer()).isEqualTo("slabtrack");
    assertThat(claims.getStringClaim("typ")).isEqualTo("session");
    assertThat(claims.getStringClaim("email")).isEqualTo(email);
    assertThat(claims.getSubject()).isEqualTo(body.getJsonObject("user").getValue("id").toString());
    long lifetime = claims.getExpirationTime().getTime() / 1000 - claims.getIssueTime().getTime() / 1000;
    assertThat(lifetime).isEqualTo(12 * 3600);

    HttpResponse<String> me = b.get(url("/api/auth/me"));
    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(Browser.json(me).getString("email")).isEqualTo(email);

    assertThat(verify(new Browser(), email, code).statusCode()).as("a used code").isEqualTo(401);

    HttpResponse<String> out = b.post(url("/api/auth/logout"), null, "Origin", url(""));
    assertThat(out.statusCode()).isEqualTo(204);
    assertThat(b.cookie("st_core")).isEmpty();
    assertThat(b.get(url("/api/auth/me")).statusCode()).isEqualTo(401);
  }

  @Test
  void aNewCodeVoidsTheOldOne() throws Exception {
    Browser b = new Browser();
    String email = freshEmail();
    start(b, email);
    String first = mailbox.awaitCode(email, 1);
    start(b, email);
    String second = mailbox.awaitCode(email, 2);
    if (!first.equals(second)) {
      assertThat(verify(b, email, first).statusCode()).isEqualTo(401);
    }
    assertThat(verify(b, email, second).statusCode()).isEqualTo(200);
  }

  @Test
  void theSixthAttemptIsRefusedEvenWithTheRightCode() throws Exception {
    Browser b = new Browser();
    String email = freshEmail();
    start(b, email);
    String code = mailbox.awaitCode(email, 1);
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> r = verify(b, email, wrong(code, i));
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(Browser.json(r).getString("error")).isEqualTo("invalid_code");
    }
    HttpResponse<String> locked = verify(b, email, code);
    assertThat(locked.statusCode()).isEqualTo(401);
    assertThat(b.cookie("st_core")).isEmpty();
  }

  /** A wrong code for {@code email}: any six digits but {@code right}. */
  static String wrong(String right, int i) {
    return String.format("%06d", (Integer.parseInt(right) + 1 + i) % 1_000_000);
  }

  @Test
  void newCodesDoNotResetTheBudgetOfWrongCodes() throws Exception {
    Browser b = new Browser();
    String email = freshEmail();
    int failures = 0;
    // 4 + 4 + 2 wrong guesses over three codes: each code stays under its own 5 attempts
    for (int[] plan : new int[][] {{1, 4}, {2, 4}, {3, 2}}) {
      assertThat(start(b, email).statusCode()).isEqualTo(202);
      String code = mailbox.awaitCode(email, plan[0]);
      for (int i = 0; i < plan[1]; i++) {
        HttpResponse<String> r = verify(b, email, wrong(code, i));
        assertThat(r.statusCode()).as("wrong guess %d", ++failures).isEqualTo(401);
      }
    }
    String fresh = mailbox.awaitCode(email, 3);
    HttpResponse<String> limited = verify(b, email, fresh);
    assertThat(limited.statusCode()).as("the 11th verify, with the right code of a fresh code").isEqualTo(429);
    assertThat(Browser.json(limited).getString("error")).isEqualTo("rate_limited");
    long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
    assertThat(retryAfter).isBetween(1L, 86_400L);
    assertThat(b.cookie("st_core")).isEmpty();
    assertThat(verify(b, freshEmail(), "123456").statusCode()).as("another address has its own budget")
        .isEqualTo(401);
  }

  @Test
  void aRightCodeDoesNotSpendTheBudget() throws Exception {
    Browser b = new Browser();
    String email = freshEmail();
    start(b, email);
    String first = mailbox.awaitCode(email, 1);
    for (int i = 0; i < 5; i++) {
      verify(b, email, wrong(first, i));
    }
    start(b, email);
    String second = mailbox.awaitCode(email, 2);
    for (int i = 0; i < 4; i++) {
      verify(b, email, wrong(second, i));
    }
    assertThat(verify(b, email, second).statusCode()).as("9 wrong so far; the right code").isEqualTo(200);
    b = new Browser(); // signed out: the session cookie would need an Origin on the next POSTs
    start(b, email);
    String third = mailbox.awaitCode(email, 3);
    assertThat(verify(b, email, wrong(third, 0)).statusCode()).as("the 10th wrong code").isEqualTo(401);
    assertThat(verify(b, email, wrong(third, 1)).statusCode()).as("the 11th").isEqualTo(429);
  }

  @Test
  void anAccountDisabledAfterItsCodeWasSentGetsNoSession() throws Exception {
    Browser b = new Browser();
    String email = freshEmail();
    pool().preparedQuery("INSERT INTO users (email, roles) VALUES ($1, '{vendor}')").execute(Tuple.of(email)).await();
    start(b, email);
    String code = mailbox.awaitCode(email, 1);
    pool().preparedQuery("UPDATE users SET disabled = true WHERE email = $1").execute(Tuple.of(email)).await();
    HttpResponse<String> r = verify(b, email, code);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(Browser.json(r).getString("error")).isEqualTo("account_disabled");
    assertThat(b.cookie("st_core")).isEmpty();
    assertThat(r.body()).doesNotContain("token");
  }

  @Test
  void anExpiredCodeIsRefused() throws Exception {
    Browser b = new Browser();
    String email = freshEmail();
    start(b, email);
    String code = mailbox.awaitCode(email, 1);
    pool().preparedQuery("UPDATE login_codes SET expires_at = now() - interval '1 second' WHERE email = $1")
        .execute(Tuple.of(email)).await();
    assertThat(verify(b, email, code).statusCode()).isEqualTo(401);
  }

  @Test
  void theCodeIsStoredOnlyAsAKeyedHash() throws Exception {
    String email = freshEmail();
    start(new Browser(), email);
    String code = mailbox.awaitCode(email, 1);
    Row row = pool().preparedQuery("SELECT * FROM login_codes WHERE email = $1").execute(Tuple.of(email)).await()
        .iterator().next();
    byte[] hash = row.getBuffer("code_hash").getBytes();
    assertThat(hash).hasSize(32);
    assertThat(new String(hash, StandardCharsets.ISO_8859_1)).doesNotContain(code);
    assertThat(row.toJson().encode()).doesNotContain(code);
  }

  @Test
  void theRateLimitPerEmailAnswers429WithRetryAfter() throws Exception {
    Browser b = new Browser();
    String email = freshEmail();
    for (int i = 0; i < 3; i++) {
      assertThat(start(b, email).statusCode()).isEqualTo(202);
    }
    HttpResponse<String> limited = start(b, email.toUpperCase());
    assertThat(limited.statusCode()).isEqualTo(429);
    long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
    assertThat(retryAfter).isBetween(1L, 900L);
    assertThat(Browser.json(limited).getJsonObject("details").getLong("retryAfterSeconds")).isEqualTo(retryAfter);
    assertThat(start(b, freshEmail()).statusCode()).as("another address is not limited").isEqualTo(202);
  }

  @Test
  void theAnswerNeverTellsWhetherAnAccountExists() throws Exception {
    String known = freshEmail();
    String disabled = freshEmail();
    pool().preparedQuery("INSERT INTO users (email, roles, disabled) VALUES ($1, '{vendor}', false), "
        + "($2, '{vendor}', true)").execute(Tuple.of(known, disabled)).await();
    Browser b = new Browser();
    HttpResponse<String> a = start(b, known);
    HttpResponse<String> u = start(b, freshEmail());
    HttpResponse<String> d = start(b, disabled);
    assertThat(a.statusCode()).isEqualTo(202).isEqualTo(u.statusCode()).isEqualTo(d.statusCode());
    assertThat(a.body()).isEqualTo(u.body()).isEqualTo(d.body());
    mailbox.awaitCode(known, 1);
    Thread.sleep(300); // let a mail that should not exist have its chance to arrive
    assertThat(mailbox.to(disabled)).as("a disabled account gets no code").isEmpty();
  }

  @Test
  void badInputIs400AndChangesNothing() throws Exception {
    Browser b = new Browser();
    assertThat(b.post(url("/api/auth/login/start"), new JsonObject()).statusCode()).isEqualTo(400);
    assertThat(start(b, "not-an-email").statusCode()).isEqualTo(400);
    assertThat(start(b, "a@b.c\r\nBcc: x@evil.example").statusCode()).isEqualTo(400);
    assertThat(verify(b, freshEmail(), "12345").statusCode()).isEqualTo(400);
    assertThat(verify(b, freshEmail(), "12345a").statusCode()).isEqualTo(400);
    assertThat(verify(b, freshEmail(), "123456").statusCode()).as("no code was ever sent").isEqualTo(401);
    HttpResponse<String> form = b.post(url("/api/auth/login/start"), new JsonObject().put("email", freshEmail()),
        "Content-Type", "text/plain");
    assertThat(form.statusCode()).as("a cross-site form's text/plain body").isEqualTo(415);
    HttpResponse<String> notJson = b.post(url("/api/auth/login/verify"), null);
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(Browser.json(notJson).getString("error")).isEqualTo("invalid_json");
  }

  private static double codes(String result) {
    var counter = NodeMetrics.registry(node.vertx()).find("slabtrack.login.codes").tag("result", result).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void signInsAreCountedForTheOperator() throws Exception {
    double sent = codes("sent");
    double verified = codes("verified");
    double failed = codes("failed");
    double limited = codes("rate_limited");
    Browser b = new Browser();
    String email = freshEmail();
    start(b, email);
    String code = mailbox.awaitCode(email, 1);
    String wrong = code.equals("000000") ? "111111" : "000000";
    assertThat(verify(b, email, wrong).statusCode()).isEqualTo(401);
    assertThat(verify(b, email, code).statusCode()).isEqualTo(200);
    Browser other = new Browser(); // b holds a session cookie now: its POSTs would need an Origin
    assertThat(start(other, email).statusCode()).isEqualTo(202);
    assertThat(start(other, email).statusCode()).isEqualTo(202);
    assertThat(start(other, email).statusCode()).as("past LOGIN_LIMIT_PER_EMAIL").isEqualTo(429);

    io.slabtrack.cluster.testing.Poll.until("three mails sent", java.time.Duration.ofSeconds(10),
        () -> codes("sent") - sent >= 3);
    assertThat(codes("sent") - sent).as("three mails went out").isEqualTo(3);
    assertThat(codes("verified") - verified).isEqualTo(1);
    assertThat(codes("failed") - failed).isEqualTo(1);
    assertThat(codes("rate_limited") - limited).isEqualTo(1);
  }
}
