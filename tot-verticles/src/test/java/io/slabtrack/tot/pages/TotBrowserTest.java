package io.slabtrack.tot.pages;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.testing.Browser;
import io.slabtrack.cluster.testing.TestNode;
import io.slabtrack.cluster.web.Money;
import io.slabtrack.tot.PaidPlays;
import io.slabtrack.tot.TotFixture;
import io.slabtrack.tot.fairness.Fairness;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * A player in a real browser (headless chromium) paying on the Stripe simulator's hosted page: browse and toggle,
 * flip a single and watch the reveal with every in-browser check green; a flip cart of three; a pull of three with
 * its winner; a tray averaging under $15 saying why; and a tampered server seed (served by a proxy standing in
 * for a lying server) failing the in-browser check. Screenshots at 390×844 and 1280×800 in target/screenshots.
 */
class TotBrowserTest {
  private static final BigDecimal SPREAD = new BigDecimal("0.25");
  private static PaidPlays paid;
  private static String base;

  @BeforeAll
  static void start() throws Exception {
    int port = TestNode.freePort();
    base = "http://127.0.0.1:" + port;
    // the hosted page sends the browser back to TOT_PUBLIC_URL, so ToT listens where that says
    paid = new PaidPlays(950_000, Map.of("TOT_PORT", String.valueOf(port), "TOT_PUBLIC_URL", base), true);
  }

  @AfterAll
  static void stop() throws Exception {
    paid.close();
  }

  private static void fillPlayForm(Browser b) {
    Map.of("email", "pat@example.com", "name", "Pat Player", "line1", "9 Court St", "city", "Memphis",
        "postalCode", "38103").forEach((name, value) -> b.driver.findElement(By.name(name)).sendKeys(value));
  }

  /** From the play form: commit, pay on the simulator's page, back on the play page until the reveal. */
  private static String commitPayAndReveal(Browser b, String shot, String clientSeed) throws Exception {
    fillPlayForm(b);
    b.driver.findElement(By.cssSelector("[data-test=commit]")).click();
    b.await("the play page", ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-test=seed-hash]")));
    String playId = b.driver.getCurrentUrl().replaceAll(".*/play/", "");
    if (clientSeed != null) {
      b.driver.findElement(By.name("clientSeed")).sendKeys(clientSeed);
    }
    b.shoot(shot + "-committed");
    b.driver.findElement(By.cssSelector("[data-test=pay]")).click();
    b.await("the simulator's payment page", ExpectedConditions.urlContains(paid.sim.simulator.baseUrl() + "/checkout/"));
    b.driver.findElement(By.xpath("//button[contains(., 'Pay with test card')]")).click();
    b.await("back on the play page", ExpectedConditions.urlContains(base + "/play/" + playId));
    b.await("the reveal", ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-test=reveal]")));
    b.await("the in-browser check", ExpectedConditions.not(ExpectedConditions.textToBe(
        By.cssSelector("[data-test=verify-summary]"), "Checking…")));
    b.await("the outcome shown", ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-test=outcome]")));
    return playId;
  }

  private static void everyCheckPasses(Browser b) {
    b.await("the checks pass", ExpectedConditions.textToBe(By.cssSelector("[data-test=verify-summary]"),
        "All 4 checks pass: this play was fair."));
    assertThat(b.driver.findElements(By.cssSelector(".checks .check.pass"))).hasSize(4);
  }

  /** The screenshot of the in-browser check, scrolled to it. */
  private static void shootTheCheck(Browser b, String step) throws Exception {
    ((JavascriptExecutor) b.driver).executeScript("document.querySelector('[data-verify]').scrollIntoView()");
    b.shoot(step);
  }

  private static String text(Browser b, String test) {
    return b.driver.findElement(By.cssSelector("[data-test=" + test + "]")).getText();
  }

  @Test
  void browseToggleAndFlipASingleThroughTheHostedPageWithEveryCheckGreen() throws Exception {
    long id = paid.single(4_200);
    paid.single(899_900); // a four-figure price: "$11,248.75" must fit a phone's half-width tile
    paid.tot.ingest(TotFixture.lot("publish", "browser-lot", 1, 950_900, 2_500, 950_901, 3_500));
    JsonObject stalePhoto = TotFixture.single("publish", 950_950, 1, 5_000);
    stalePhoto.getJsonObject("card").put("frontImageThumb", base + "/assets/no-such-photo.jpg");
    paid.tot.ingest(stalePhoto);
    try (Browser b = new Browser("tot-flip")) {
      b.open(base + "/");
      // a photo that doesn't load shows the no-photo placeholder with the grade, not a broken image
      b.await("the stale photo replaced", ExpectedConditions.textToBe(
          By.cssSelector(".tile[data-live-key='card:950950'] .tile-image .placeholder"), "PSA 10"));
      assertThat(b.driver.findElements(By.cssSelector(".tile[data-live-key='card:950950'] img"))).isEmpty();
      b.shoot("01-browse");
      b.driver.manage().window().setSize(Browser.PHONE);
      WebElement tile = b.driver.findElement(By.cssSelector("#results .tile"));
      assertThat(tile.getRect().getX() + tile.getRect().getWidth()).isLessThanOrEqualTo(Browser.PHONE.width);
      assertThat(b.overflowing("#results .tile")).as("cut off on a phone").isEmpty();
      b.driver.manage().window().setSize(Browser.DESKTOP);
      assertThat(b.overflowing("#results .tile")).as("cut off on a desktop").isEmpty();

      b.driver.findElement(By.cssSelector("[data-test=toggle-lots]")).click();
      b.await("only lots", ExpectedConditions.urlContains("kind=lot"));
      assertThat(b.driver.findElements(By.cssSelector("#results .tile[data-kind=single]"))).isEmpty();
      assertThat(b.driver.findElements(By.cssSelector("#results .tile[data-kind=lot]"))).isNotEmpty();
      b.shoot("02-lots");
      b.driver.findElement(By.cssSelector("[data-test=toggle-singles]")).click();
      b.await("only singles", ExpectedConditions.urlContains("kind=single"));
      assertThat(b.driver.findElements(By.cssSelector("#results .tile[data-kind=lot]"))).isEmpty();

      b.driver.findElement(By.cssSelector(".tile[data-listing-id='" + id + "'] .tile-link")).click();
      b.await("the listing", ExpectedConditions.urlContains("/listings/" + id));
      assertThat(text(b, "win-price")).isEqualTo(Money.usd(Fairness.winPrice(4_200, SPREAD)));
      b.shoot("03-listing");
      b.driver.findElement(By.cssSelector("[data-test=flip-it]")).click();
      b.await("the play form", ExpectedConditions.presenceOfElementLocated(By.name("email")));
      b.shoot("04-form");
      String playId = commitPayAndReveal(b, "05", "my lucky seed");
      everyCheckPasses(b);
      JsonObject play = paid.tot.get("/api/play/" + playId).json();
      assertThat(play.getString("clientSeed")).isEqualTo("my lucky seed");
      assertThat(text(b, "outcome")).isEqualTo(play.getString("outcome"));
      assertThat(text(b, "charged")).isEqualTo(Money.usd(play.getLong("outcomeAmount")));
      assertThat(b.driver.findElements(By.cssSelector("[data-test=cards-won] li"))).hasSize(1);
      b.shoot("06-revealed");
      shootTheCheck(b, "06-verified");

      b.driver.findElement(By.cssSelector("[data-test=order-link]")).click();
      b.await("the order page", ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-test=order-heading]")));
      assertThat(text(b, "order-heading")).isIn("Paid — thank you!", "Payment received — confirming your cards");
      b.shoot("07-order");
    }
  }

  @Test
  void aFlipCartOfThreeIsOneOutcomeOnTheTotal() throws Exception {
    long[] ids = {paid.single(2_000), paid.single(1_100), paid.single(3_300)};
    long total = 2_000 + 1_100 + 3_300;
    try (Browser b = new Browser("tot-cart")) {
      for (long id : ids) {
        b.open(base + "/listings/" + id);
        b.driver.findElement(By.xpath("//button[normalize-space()='Add to flip cart']")).click();
        b.await("in the cart", ExpectedConditions.textToBe(By.xpath("//button[normalize-space()='In flip cart']"),
            "In flip cart"));
      }
      assertThat(b.driver.findElement(By.cssSelector("[data-flip-count]")).getText()).isEqualTo("3");
      b.driver.findElement(By.cssSelector("[data-test=flip-link]")).click();
      b.await("the cart", ExpectedConditions.numberOfElementsToBe(By.cssSelector(".pick-line"), 3));
      assertThat(text(b, "win-price")).isEqualTo(Money.usd(Fairness.winPrice(total, SPREAD)));
      assertThat(text(b, "lose-price")).isEqualTo(Money.usd(Fairness.losePrice(total, SPREAD)));
      b.shoot("01-cart");
      b.driver.findElement(By.cssSelector("[data-test=play]")).click();
      b.await("the play form", ExpectedConditions.presenceOfElementLocated(By.name("email")));
      String playId = commitPayAndReveal(b, "02", null);
      everyCheckPasses(b);
      JsonObject play = paid.tot.get("/api/play/" + playId).json();
      assertThat(play.getLong("cardValue")).isEqualTo(total);
      long owed = "WIN".equals(play.getString("outcome")) ? Fairness.winPrice(total, SPREAD)
          : Fairness.losePrice(total, SPREAD);
      assertThat(text(b, "charged")).isEqualTo(Money.usd(owed));
      assertThat(b.driver.findElements(By.cssSelector("[data-test=cards-won] li"))).hasSize(3);
      assertThat(b.driver.findElement(By.cssSelector("[data-flip-count]")).getText()).as("the cart emptied")
          .isEqualTo("0");
      b.shoot("03-revealed");
      shootTheCheck(b, "03-verified");
    }
  }

  @Test
  void aPullOfThreeShowsItsWinner() throws Exception {
    long[] ids = {paid.single(1_600), paid.single(2_400), paid.single(5_000)};
    try (Browser b = new Browser("tot-pull")) {
      for (long id : ids) {
        b.open(base + "/listings/" + id);
        b.driver.findElement(By.xpath("//button[normalize-space()='Add to pull tray']")).click();
        b.await("in the tray", ExpectedConditions.textToBe(By.xpath("//button[normalize-space()='In pull tray']"),
            "In pull tray"));
      }
      b.driver.findElement(By.cssSelector("[data-test=pull-link]")).click();
      b.await("the tray", ExpectedConditions.numberOfElementsToBe(By.cssSelector(".pick-line"), 3));
      assertThat(text(b, "pull-price")).isEqualTo(Money.usd(Fairness.pullPrice(List.of(1_600L, 2_400L, 5_000L))));
      b.shoot("01-tray");
      b.driver.findElement(By.cssSelector("[data-test=play]")).click();
      b.await("the play form", ExpectedConditions.presenceOfElementLocated(By.name("email")));
      String playId = commitPayAndReveal(b, "02", "pull for it");
      everyCheckPasses(b);
      JsonObject play = paid.tot.get("/api/play/" + playId).json();
      long winner = play.getLong("winnerListingId");
      assertThat(b.driver.findElement(By.cssSelector(".option-list li.winner")).getAttribute("data-listing-id"))
          .isEqualTo(String.valueOf(winner));
      assertThat(b.driver.findElements(By.cssSelector(".pull-stage li.winner"))).hasSize(1);
      assertThat(text(b, "outcome-words")).startsWith("You pulled ");
      assertThat(b.driver.findElements(By.cssSelector("[data-test=cards-won] li"))).hasSize(1);
      b.shoot("03-revealed");
      shootTheCheck(b, "04-verified");
    }
  }

  @Test
  void aTrayAveragingUnderFifteenDollarsSaysWhy() throws Exception {
    long[] ids = {paid.single(900), paid.single(1_300)};
    try (Browser b = new Browser("tot-tray")) {
      for (long id : ids) {
        b.open(base + "/listings/" + id);
        b.driver.findElement(By.xpath("//button[normalize-space()='Add to pull tray']")).click();
        b.await("in the tray", ExpectedConditions.textToBe(By.xpath("//button[normalize-space()='In pull tray']"),
            "In pull tray"));
      }
      b.open(base + "/pull");
      assertThat(text(b, "average")).isEqualTo("$11.00");
      assertThat(text(b, "why-not")).isEqualTo("A pull stack's average value must be at least $15.00");
      assertThat(b.driver.findElements(By.cssSelector("[data-test=play]"))).isEmpty();
      b.shoot("01-under-15");
    }
  }

  @Test
  void aTamperedServerSeedFailsTheInBrowserCheck() throws Exception {
    JsonObject committed = paid.commitCheckout("flip", paid.single(2_600));
    String playId = committed.getString("playId");
    paid.payOnHostedPage(playId);
    PaidPlays.await("revealed", () -> {
      try {
        return paid.tot.get("/api/play/" + playId).json().getString("revealedAt") != null;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    // a test double of a lying server: ToT behind a proxy that swaps the revealed server seed for another one
    var vertx = paid.tot.node.vertx();
    HttpClient client = vertx.createHttpClient();
    int tot = paid.tot.node.httpPort(io.slabtrack.cluster.config.AppName.TOT);
    HttpServer proxy = vertx.createHttpServer().requestHandler(req -> {
      req.body().compose(body -> client.request(new RequestOptions().setMethod(req.method()).setHost("127.0.0.1")
              .setPort(tot).setURI(req.uri())
              .setHeaders(io.vertx.core.MultiMap.caseInsensitiveMultiMap().addAll(req.headers())
                  .remove("Accept-Encoding"))) // plain JSON to rewrite
          .compose(out -> out.send(body)).compose(res -> res.body().map(b -> {
            var buffer = b;
            if (req.method() == HttpMethod.GET && req.path().startsWith("/api/play/")) {
              JsonObject json = b.toJsonObject();
              json.put("serverSeed", "00" + json.getString("serverSeed").substring(2));
              buffer = json.toBuffer();
            }
            res.headers().forEach((k, v) -> {
              if (!k.equalsIgnoreCase("content-length") && !k.equalsIgnoreCase("transfer-encoding")) {
                req.response().headers().add(k, v);
              }
            });
            return req.response().setStatusCode(res.statusCode()).end(buffer);
          })))
          .onFailure(e -> req.response().setStatusCode(502).end(String.valueOf(e)));
    }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    try (Browser b = new Browser("tot-tampered")) {
      b.open("http://127.0.0.1:" + proxy.actualPort() + "/play/" + playId);
      b.await("the check fails", ExpectedConditions.attributeContains(By.cssSelector("[data-test=verify-summary]"),
          "class", "fail"));
      assertThat(text(b, "verify-summary")).contains("does not match its sealed commitment");
      assertThat(b.driver.findElement(By.cssSelector("[data-check=seedHash]")).getAttribute("class")).contains("fail");
      assertThat(b.driver.findElement(By.cssSelector("[data-check=outcomeBytes]")).getAttribute("class"))
          .contains("fail");
      shootTheCheck(b, "01-failed-check");
    } finally {
      proxy.close();
    }
  }
}
