package io.slabtrack.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMailUtil;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.db.PgPools;
import io.slabtrack.cluster.testing.Poll;
import io.slabtrack.cluster.testing.TestTokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the three JVMs' logs show of one sale, and what they never show. A buyer buys a card listed on the
 * Storefront and on ToT (checkout, payment in the Stripe simulator, the claim through the Storefront's outbox to
 * core, core's disengage through its outbox to ToT); each JVM writes JSON lines, and the sale's claim id is a field
 * of lines in all three. Then a person signs in (the code goes to a real SMTP server) and the logs of the whole run
 * are searched for every secret the nodes were given and for that login code: none may appear.
 */
class SaleLogsIT {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String SHOP = "it-logs-shop";
  private static ClusterFixture cluster;
  private static Vertx vertx;
  private static final Map<AppName, Pool> pools = new EnumMap<>(AppName.class);
  private static String claimId;
  private static String checkoutRequestId;

  @BeforeAll
  static void buyOneCard() throws Exception {
    cluster = ClusterFixture.shared();
    vertx = Vertx.vertx();
    for (AppName app : AppName.values()) {
      pools.put(app, PgPools.create(vertx, cluster.database(app), 2));
    }
    HttpResponse<String> shop = call(AppName.STOREFRONT, "POST", "/api/storefronts",
        new JsonObject().put("slug", SHOP).put("name", "IT logs"));
    assertThat(shop.statusCode()).as(shop.body()).isIn(201, 409);
    HttpResponse<String> link = call(AppName.STOREFRONT, "POST", "/api/storefronts/" + SHOP + "/stripe/onboarding",
        null);
    assertThat(link.statusCode()).as(link.body()).isEqualTo(200);
    // the simulator's onboarding page completes at once and redirects; its account.updated webhook follows
    HTTP.send(HttpRequest.newBuilder(URI.create(new JsonObject(link.body()).getString("url"))).GET().build(),
        HttpResponse.BodyHandlers.discarding());
    Poll.until("shop accepting orders", WAIT, () -> json(call(AppName.STOREFRONT, "GET", "/api/storefronts/" + SHOP,
        null)).getBoolean("acceptingOrders", false));

    HttpResponse<String> created = call(AppName.CORE, "POST", "/api/cards", new JsonObject()
        .put("player", "Logs Sale " + UUID.randomUUID()).put("year", 2020).put("gradingCompany", "PSA")
        .put("grade", 9).put("askingPrice", 4_200));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    long card = new JsonObject(created.body()).getLong("id");
    HttpResponse<String> committed = send(AppName.CORE, "POST", "/api/channels/commit", new JsonArray()
        .add(new JsonObject().put("cardId", card).put("channel", "thisorthat"))
        .add(new JsonObject().put("cardId", card).put("channel", "storefront").put("shop", SHOP)).encode(),
        TestTokens.operator(cluster.jwtSecret()));
    assertThat(committed.statusCode()).as(committed.body()).isEqualTo(200);
    Poll.until("listed on both satellites", WAIT, () -> activeOnTot(card) && count(AppName.STOREFRONT,
        "SELECT count(*) FROM storefront_cards WHERE slabtrack_card_id = $1 AND listed", card) == 1);

    HttpResponse<String> checkout = send(AppName.STOREFRONT, "POST", "/api/storefronts/" + SHOP + "/checkout",
        new JsonObject().put("cardIds", new JsonArray().add(card)).put("email", "logs-buyer@example.com")
            .put("shippingAddress", new JsonObject().put("name", "Lou Logs").put("line1", "1 Log Lane")
                .put("city", "Boston").put("state", "MA").put("postalCode", "02101").put("country", "US")).encode(),
        null);
    assertThat(checkout.statusCode()).as(checkout.body()).isEqualTo(201);
    checkoutRequestId = checkout.headers().firstValue("X-Request-Id").orElseThrow();
    String orderId = new JsonObject(checkout.body()).getString("orderId");
    String session = json(call(AppName.STOREFRONT, "GET", "/api/storefronts/" + SHOP + "/orders/" + orderId, null))
        .getString("checkoutSessionId");
    HttpResponse<String> paid = HTTP.send(HttpRequest.newBuilder(
            URI.create(cluster.stripeSimulator() + "/_sim/checkout/" + session + "/pay"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(paid.statusCode()).as(paid.body()).isEqualTo(200);

    Poll.until("core sold the card", WAIT, () -> soldClaim(card) != null);
    claimId = soldClaim(card);
    Poll.until("ToT withdrew its listing", WAIT, () -> !activeOnTot(card));
  }

  @AfterAll
  static void stop() {
    if (vertx != null) {
      vertx.close().await();
    }
  }

  @Test
  void theClaimIdIsAFieldOfLogLinesInEachOfTheThreeJvms() throws Exception {
    for (AppName app : AppName.values()) {
      List<JsonObject> lines = jsonLines(cluster.node(app));
      assertThat(lines).as(app + " writes JSON lines").isNotEmpty().allSatisfy(line -> {
        assertThat(line.getString("timestamp")).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}.*Z");
        assertThat(line.getString("level")).isNotBlank();
        assertThat(line.getString("logger")).isNotBlank();
        assertThat(line.containsKey("message")).isTrue();
        assertThat(line.getString("app")).isEqualTo(app.id());
      });
      // the line about the sale may be written before the node's id was known only at startup, never later
      Poll.until(app + " logged the claim " + claimId, Duration.ofSeconds(30),
          () -> jsonLines(cluster.node(app)).stream().anyMatch(l -> claimId.equals(l.getString("claimId"))));
      List<JsonObject> sale = jsonLines(cluster.node(app)).stream()
          .filter(l -> claimId.equals(l.getString("claimId"))).toList();
      assertThat(sale).as(app + "'s lines of the sale").allSatisfy(l -> assertThat(l.getString("node")).isNotBlank());
    }
    // the Storefront's lines of the sale began with the buyer's checkout request
    assertThat(jsonLines(cluster.node(AppName.STOREFRONT)).stream()
        .filter(l -> checkoutRequestId.equals(l.getString("requestId")))).isNotEmpty();
  }

  @Test
  void noSecretAndNoLoginCodeAppearsInTheLogsOfTheRun() throws Exception {
    String email = "logs-" + UUID.randomUUID() + "@example.com";
    int before = cluster.mail().getReceivedMessages().length;
    HttpResponse<String> start = send(AppName.CORE, "POST", "/api/auth/login/start",
        new JsonObject().put("email", email).encode(), null);
    assertThat(start.statusCode()).as(start.body()).isEqualTo(202);
    Poll.until("the login code was mailed", WAIT, () -> cluster.mail().getReceivedMessages().length > before);
    String code = null;
    for (MimeMessage m : cluster.mail().getReceivedMessages()) {
      Matcher found = Pattern.compile("code is (\\d{6})").matcher(GreenMailUtil.getBody(m));
      if (m.getAllRecipients()[0].toString().equals(email) && found.find()) {
        code = found.group(1);
      }
    }
    assertThat(code).as("the code in the mail").isNotNull();
    HttpResponse<String> wrong = send(AppName.CORE, "POST", "/api/auth/login/verify",
        new JsonObject().put("email", email).put("code", code.equals("000000") ? "000001" : "000000").encode(), null);
    assertThat(wrong.statusCode()).as(wrong.body()).isEqualTo(401);
    HttpResponse<String> right = send(AppName.CORE, "POST", "/api/auth/login/verify",
        new JsonObject().put("email", email).put("code", code).encode(), null);
    assertThat(right.statusCode()).as(right.body()).isEqualTo(200);
    String session = new JsonObject(right.body()).getString("token");

    String logs = allLogsOfTheRun();
    assertThat(logs).as("the run's logs").contains(claimId); // they are the right files
    for (Map.Entry<String, String> secret : cluster.secrets().entrySet()) {
      assertThat(logs).as(secret.getKey() + " in the logs").doesNotContain(secret.getValue());
    }
    // a six-digit code as a token of its own (timestamps and ids have longer runs of digits)
    assertThat(Pattern.compile("(?<![0-9A-Za-z])" + code + "(?![0-9A-Za-z])").matcher(logs).find())
        .as("login code " + code + " in the logs").isFalse();
    if (session != null) {
      assertThat(logs).as("a session token in the logs").doesNotContain(session);
    }
  }

  /** Every node log of this run (killed and restarted nodes' files too), from target/it-logs. */
  private static String allLogsOfTheRun() throws IOException {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.list(Path.of("target", "it-logs"))) {
      for (Path f : files.toList()) {
        all.append(Files.readString(f)).append('\n');
      }
    }
    return all.toString();
  }

  private static List<JsonObject> jsonLines(NodeProcess node) {
    List<JsonObject> out = new ArrayList<>();
    for (String line : node.output().split("\n")) {
      if (line.startsWith("{")) {
        out.add(new JsonObject(line));
      }
    }
    return out;
  }

  private static boolean activeOnTot(long card) {
    return count(AppName.TOT, "SELECT count(*) FROM listing_cards lc JOIN listings l ON l.id = lc.listing_id "
        + "WHERE lc.card_id = $1 AND l.status = 'ACTIVE'", card) == 1;
  }

  private static String soldClaim(long card) {
    Row r = pools.get(AppName.CORE).preparedQuery("SELECT sold_claim_id FROM cards WHERE id = $1")
        .execute(Tuple.of(card)).await().iterator().next();
    return r.getString(0);
  }

  private static long count(AppName app, String sql, Object... params) {
    return pools.get(app).preparedQuery(sql).execute(Tuple.from(params)).await().iterator().next().getLong(0);
  }

  private static JsonObject json(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  private static HttpResponse<String> call(AppName app, String method, String path, JsonObject body) {
    return send(app, method, path, body == null ? null : body.encode(), TestTokens.operator(cluster.jwtSecret(), app));
  }

  private static HttpResponse<String> send(AppName app, String method, String path, String body, String bearer) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(cluster.node(app).url(path)))
        .timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    try {
      return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
  }
}
