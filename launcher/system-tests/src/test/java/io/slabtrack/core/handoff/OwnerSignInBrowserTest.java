package io.slabtrack.core.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.Browser;
import io.slabtrack.cluster.testing.TestNode;
import io.slabtrack.cluster.testing.TestTokens;
import io.slabtrack.core.CoreApp;
import io.slabtrack.core.CoreFixture;
import io.slabtrack.core.testing.Mailbox;
import io.slabtrack.storefront.StorefrontApp;
import io.slabtrack.tot.TotApp;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * A shop owner with nothing but a browser: core's sign-in page, the mailed code, "Manage my shop", and the
 * Storefront's manage page of their own shop, through a real one-time handoff (the redirect from core's form to
 * the Storefront's origin is one Chrome checks against the page's CSP).
 */
class OwnerSignInBrowserTest {
  private static final String OWNER = "browser-owner@example.test";
  private static Mailbox mailbox;
  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    mailbox = new Mailbox();
    // core's handoff links name the Storefront's public address, so its port is chosen before the node starts
    int shopPort;
    try (ServerSocket free = new ServerSocket(0)) {
      shopPort = free.getLocalPort();
    }
    Map<String, String> env = new HashMap<>(mailbox.env());
    env.put("STOREFRONT_PORT", String.valueOf(shopPort));
    env.put("STOREFRONT_PUBLIC_URL", "http://localhost:" + shopPort);
    node = TestNode.start(env, new CoreApp(), new TotApp(), new StorefrontApp());
    long ownerId = node.runtime(AppName.CORE).context().pool()
        .preparedQuery("INSERT INTO users (email, roles) VALUES ($1, '{vendor}') RETURNING id")
        .execute(Tuple.of(OWNER)).await().iterator().next().getLong(0);
    HttpResponse<String> shop = CoreFixture.HTTP.send(HttpRequest.newBuilder(
            URI.create(node.url(AppName.STOREFRONT, "/api/storefronts"))).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + TestTokens.operator(TestNode.SECRET, AppName.STOREFRONT))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("slug", "owned-here")
            .put("name", "Owned Here").put("ownerId", String.valueOf(ownerId)).encode())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(shop.statusCode()).as(shop.body()).isEqualTo(201);
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
    mailbox.close();
  }

  @Test
  void anOwnerSignsInOnCoreAndLandsOnTheirShopsManagePage() throws Exception {
    try (Browser b = new Browser("owner-signin")) {
      b.open(node.url(AppName.CORE, "/"));
      b.driver.findElement(By.id("email")).sendKeys(OWNER);
      b.driver.findElement(By.cssSelector("[data-test=send-code]")).click();
      b.await("the code step", ExpectedConditions.presenceOfElementLocated(By.id("code")));
      b.driver.findElement(By.id("code")).sendKeys(mailbox.awaitCode(OWNER, 1));
      b.driver.findElement(By.cssSelector("[data-test=verify-code]")).click();
      b.await("signed in on core", ExpectedConditions.textToBe(By.cssSelector("[data-test=signed-in-as]"), OWNER));

      b.driver.findElement(By.cssSelector("[data-test=manage-shop]")).click();
      b.await("the shop's manage page", ExpectedConditions.urlContains("/s/owned-here/manage"));
      assertThat(b.driver.getCurrentUrl()).startsWith("http://localhost:" + node.httpPort(AppName.STOREFRONT) + "/");
      assertThat(b.driver.findElements(By.cssSelector("[data-test=payments]"))).isNotEmpty();
      b.shoot("01-manage");
    }
  }
}
