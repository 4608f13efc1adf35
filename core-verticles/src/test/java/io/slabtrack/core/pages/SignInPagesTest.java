package io.slabtrack.core.pages;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.Browser;
import io.slabtrack.cluster.testing.PageClient;
import io.slabtrack.cluster.testing.RateWindowRoom;
import io.slabtrack.cluster.testing.TestNode;
import io.slabtrack.core.CoreApp;
import io.slabtrack.core.testing.Mailbox;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Core's sign-in pages over real HTTP and a real SMTP server: a shop owner types their address, gets the code by
 * mail, signs in and goes on to the Storefront with a one-time handoff; a wrong code, a bad address, a form from
 * another site and an account with nothing to manage each get what they should, and change nothing else.
 */
@ExtendWith(RateWindowRoom.class)
class SignInPagesTest {
  private static final String SHOP_URL = "http://shop.example.test:8082";
  private static Mailbox mailbox;
  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    mailbox = new Mailbox();
    Map<String, String> env = new HashMap<>(mailbox.env());
    env.put("STOREFRONT_PUBLIC_URL", SHOP_URL);
    node = TestNode.start(env, new CoreApp());
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
    mailbox.close();
  }

  private static String base() {
    return node.url(AppName.CORE, "");
  }

  private static String user(String roles) {
    String email = "owner-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
    node.runtime(AppName.CORE).context().pool().preparedQuery("INSERT INTO users (email, roles) VALUES ($1, $2)")
        .execute(Tuple.tuple().addString(email).addArrayOfString(new String[] {roles})).await();
    return email;
  }

  /** Both steps through the forms; the client holds the session cookie afterwards. */
  private static void signIn(PageClient web, String email) throws Exception {
    int mailed = mailbox.to(email).size();
    PageClient.Page sent = web.post("/signin", Map.of("email", email.toUpperCase()));
    assertThat(sent.status()).as(sent.toString()).isEqualTo(200);
    String code = mailbox.awaitCode(email, mailed + 1);
    PageClient.Page in = web.post("/signin/code", Map.of("email", email, "code", code.substring(0, 3) + " "
        + code.substring(3)));
    assertThat(in.status()).as(in.toString()).isEqualTo(303);
    assertThat(in.location()).isEqualTo("/");
    assertThat(in.header("Set-Cookie")).startsWith("st_core=");
  }

  @Test
  void anOwnerSignsInWithTheMailedCodeAndGoesOnToTheirShop() throws Exception {
    String email = user("vendor");
    PageClient web = new PageClient(base());
    Document form = web.get("/").doc();
    assertThat(form.select("form[action=/signin] input[name=email]")).hasSize(1);

    PageClient.Page codeStep = web.post("/signin", Map.of("email", email));
    assertThat(codeStep.status()).isEqualTo(200);
    assertThat(codeStep.doc().select("form[action=/signin/code] input[name=email]").val()).isEqualTo(email);
    assertThat(codeStep.doc().text()).contains(email);
    String code = mailbox.awaitCode(email, 1);
    PageClient.Page in = web.post("/signin/code", Map.of("email", email, "code", code));
    assertThat(in.status()).as(in.toString()).isEqualTo(303);

    PageClient.Page home = web.get("/");
    assertThat(home.doc().select("[data-test=signed-in-as]").text()).isEqualTo(email);
    assertThat(home.doc().select("[data-test=manage-shop]").text()).isEqualTo("Manage my shop");
    assertThat(home.doc().select("[data-test=api-explorer]")).as("operators only").isEmpty();
    // the handoff answers with a redirect to the Storefront: the page's CSP lets its form lead there
    assertThat(home.header("Content-Security-Policy")).contains("form-action 'self' " + SHOP_URL);

    PageClient.Page go = web.post("/go/storefront", Map.of());
    assertThat(go.status()).as(go.toString()).isEqualTo(303);
    assertThat(go.location()).startsWith(SHOP_URL + "/auth/handoff?token=").endsWith("&next=%2F");
    JsonObject claims = payload(go.location().substring(go.location().indexOf("token=") + 6,
        go.location().indexOf('&')));
    assertThat(claims.getString("typ")).isEqualTo("handoff");
    assertThat(claims.getValue("aud").toString()).contains("storefront");
    assertThat(claims.getString("email")).isEqualTo(email);

    assertThat(web.post("/signout", Map.of()).location()).isEqualTo("/");
    assertThat(web.get("/").doc().select("form[action=/signin]")).as("signed out").isNotEmpty();
    assertThat(web.post("/go/storefront", Map.of()).status()).as("no session, no handoff").isEqualTo(401);
  }

  @Test
  void aWrongCodeIsSaidOnTheFormAndSignsNobodyIn() throws Exception {
    String email = user("vendor");
    PageClient web = new PageClient(base());
    web.post("/signin", Map.of("email", email));
    String code = mailbox.awaitCode(email, 1);
    String wrong = String.format("%06d", (Integer.parseInt(code) + 1) % 1_000_000);

    PageClient.Page refused = web.post("/signin/code", Map.of("email", email, "code", wrong));
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.header("Set-Cookie")).isNull();
    assertThat(refused.doc().select("[data-test=signin-notice]").text()).contains("wrong");
    assertThat(refused.doc().select("form[action=/signin/code] input[name=email]").val()).isEqualTo(email);
    assertThat(web.get("/").doc().select("[data-test=signed-in-as]")).isEmpty();

    PageClient.Page badAddress = web.post("/signin", Map.of("email", "not-an-address"));
    assertThat(badAddress.status()).isEqualTo(400);
    assertThat(badAddress.doc().select("input[name=email]").val()).as("what they typed stays")
        .isEqualTo("not-an-address");
    assertThat(badAddress.doc().select("[data-test=signin-notice]").text()).isNotBlank();
  }

  @Test
  void aFormSentFromAnotherSiteIsRefusedAndMailsNothing() throws Exception {
    String email = user("vendor");
    PageClient web = new PageClient(base());
    PageClient.Page forged = web.post("/signin", Map.of("email", email), "http://evil.example.test");
    assertThat(forged.status()).isEqualTo(403);
    PageClient.Page noOrigin = web.post("/signin", Map.of("email", email), null);
    assertThat(noOrigin.status()).isEqualTo(403);
    Thread.sleep(500); // a mail would have been sent by now
    assertThat(mailbox.to(email)).isEmpty();

    signIn(web, email);
    assertThat(web.post("/go/storefront", Map.of(), "http://evil.example.test").status())
        .as("a forged handoff with the session cookie").isEqualTo(403);
  }

  @Test
  void whatTheHomePageOffersFollowsTheAccountsRoles() throws Exception {
    PageClient buyer = new PageClient(base());
    signIn(buyer, user("buyer"));
    Document home = buyer.get("/").doc();
    assertThat(home.select("[data-test=manage-shop]")).isEmpty();
    assertThat(home.text()).contains("nothing to manage");
    assertThat(buyer.post("/go/storefront", Map.of()).status()).isEqualTo(403);

    PageClient operator = new PageClient(base());
    signIn(operator, user("operator"));
    Document operatorHome = operator.get("/").doc();
    assertThat(operatorHome.select("[data-test=manage-shop]").text()).isEqualTo("Manage shops");
    assertThat(operatorHome.select("[data-test=api-explorer]").attr("href")).isEqualTo("/docs");
  }

  @Test
  void inABrowserOnAPhone() throws Exception {
    String email = user("vendor");
    try (Browser b = new Browser("core-signin")) {
      b.open(base() + "/");
      b.shoot("01-email");
      b.driver.findElement(By.id("email")).sendKeys(email);
      b.driver.findElement(By.cssSelector("[data-test=send-code]")).click();
      b.await("the code step", ExpectedConditions.presenceOfElementLocated(By.id("code")));
      b.shoot("02-code");
      b.driver.findElement(By.id("code")).sendKeys(mailbox.awaitCode(email, 1));
      b.driver.findElement(By.cssSelector("[data-test=verify-code]")).click();
      b.await("signed in", ExpectedConditions.textToBe(By.cssSelector("[data-test=signed-in-as]"), email));
      b.shoot("03-home");
    }
  }

  private static JsonObject payload(String jwt) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
  }
}
