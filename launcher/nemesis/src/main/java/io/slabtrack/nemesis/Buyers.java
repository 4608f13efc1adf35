package io.slabtrack.nemesis;

import io.slabtrack.cluster.config.AppName;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Buyers racing for the hot cards on both satellites through the public APIs, as people would: a Storefront
 * checkout paid on the simulator's hosted page, or a ToT solo flip paid with Elements. Most pay; some decline,
 * some cancel, some walk away (their locks must expire). Every step goes into the {@link History}.
 */
public final class Buyers {
  /** Buyers wait this long for an answer: longer than any goal, so a hang shows up as {@code info}. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration SETTLE_WAIT = Duration.ofSeconds(30);
  private static final Set<String> SF_FINAL = Set.of("paid", "cancelled", "refunded", "shipped", "delivered");
  private static final Set<String> PLAY_FINAL = Set.of("SETTLED", "VOID", "FAILED");

  private final Cluster cluster;
  private final Stock stock;
  private final History history;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final ExecutorService pool;
  private final int count;

  public Buyers(Cluster cluster, Stock stock, History history, int count) {
    this.cluster = cluster;
    this.stock = stock;
    this.history = history;
    this.count = count;
    this.pool = Executors.newFixedThreadPool(count);
  }

  public void start() {
    for (int i = 0; i < count; i++) {
      String process = "buyer-" + i;
      pool.submit(() -> {
        while (!stop.get()) {
          try {
            long[] card = stock.pick();
            if (card == null) {
              Thread.sleep(500);
            } else if (ThreadLocalRandom.current().nextBoolean()) {
              shopCheckout(process, card[0]);
            } else {
              totFlip(process, card[0], card[1]);
            }
          } catch (InterruptedException e) {
            return;
          } catch (RuntimeException e) {
            history.add(process, "info", "error", "-", -1, null, null, e.toString());
          }
        }
      });
    }
  }

  public void stopAndWait() throws InterruptedException {
    stop.set(true);
    pool.shutdown();
    pool.awaitTermination(90, TimeUnit.SECONDS);
  }

  private NodeProcess anyNode(AppName app) {
    List<NodeProcess> nodes = cluster.nodes(app);
    return nodes.get(ThreadLocalRandom.current().nextInt(nodes.size()));
  }

  private static JsonObject address(String name) {
    return new JsonObject().put("name", name).put("line1", "1 Chaos Way").put("city", "Boston").put("state", "MA")
        .put("postalCode", "02101").put("country", "US");
  }

  /** What the buyer does at the payment step. */
  private enum Choice { PAY, DECLINE, CANCEL, ABANDON }

  private static Choice choose() {
    int r = ThreadLocalRandom.current().nextInt(100);
    return r < 70 ? Choice.PAY : r < 80 ? Choice.DECLINE : r < 90 ? Choice.CANCEL : Choice.ABANDON;
  }

  private void shopCheckout(String p, long card) throws InterruptedException {
    NodeProcess node = anyNode(AppName.STOREFRONT);
    history.add(p, "invoke", "checkout", node.name(), card, null, null, null);
    String email = p + "-" + System.nanoTime() + "@example.com";
    Api.Answer a = Api.call("POST", cluster.url(node, "/api/storefronts/" + Stock.SHOP + "/checkout"), null,
        new JsonObject().put("cardIds", new JsonArray().add(card)).put("email", email)
            .put("shippingAddress", address(p)).encode(), REQUEST_TIMEOUT);
    if (!a.ok()) {
      history.add(p, a.unknown() ? "info" : "fail", "checkout", node.name(), card, null, null,
          a.reason() + " in " + a.millis() + "ms");
      return;
    }
    String order = a.json().getString("orderId");
    history.add(p, "ok", "checkout", node.name(), card, order, null, "in " + a.millis() + "ms");
    String session = sessionOf(order);
    if (session == null) {
      history.add(p, "info", "pay", node.name(), card, order, null, "no checkout session readable");
      return;
    }
    Choice choice = choose();
    String path = switch (choice) {
      case PAY -> "/_sim/checkout/" + session + "/pay";
      case DECLINE -> "/_sim/checkout/" + session + "/decline";
      case CANCEL -> "/checkout/" + session + "/cancel";
      case ABANDON -> null;
    };
    String pi = null;
    if (path != null) {
      history.add(p, "invoke", choice.name().toLowerCase(java.util.Locale.ROOT), "stripe", card, order, null, null);
      Api.Answer paid = Api.call("POST", cluster.stripeBase() + path, null,
          choice == Choice.CANCEL ? null : "{}", REQUEST_TIMEOUT);
      pi = paymentIntentOfSession(session);
      history.add(p, paid.status() < 400 && paid.status() > 0 ? "ok" : paid.unknown() ? "info" : "fail",
          choice.name().toLowerCase(java.util.Locale.ROOT), "stripe", card, order, pi, paid.reason());
    } else {
      history.add(p, "info", "abandon", "-", card, order, null, "buyer never returns");
    }
    if (choice == Choice.PAY) {
      String state = awaitState(p, node, card, order, pi, "/api/storefronts/" + Stock.SHOP + "/orders/" + order,
          "state", SF_FINAL);
      history.add(p, state == null ? "info" : "paid".equals(state) ? "ok" : "fail", "outcome", node.name(), card,
          order, pi, state == null ? "not final within " + SETTLE_WAIT.toSeconds() + "s" : state);
    }
  }

  private void totFlip(String p, long card, long listing) throws InterruptedException {
    NodeProcess node = anyNode(AppName.TOT);
    history.add(p, "invoke", "play", node.name(), card, null, null, "listing " + listing);
    String email = p + "-" + System.nanoTime() + "@example.com";
    Api.Answer a = Api.call("POST", cluster.url(node, "/api/play/flip"), null,
        new JsonObject().put("listingIds", new JsonArray().add(listing)).put("email", email)
            .put("shippingAddress", address(p)).encode(), REQUEST_TIMEOUT);
    if (!a.ok()) {
      history.add(p, a.unknown() ? "info" : "fail", "play", node.name(), card, null, null,
          a.reason() + " in " + a.millis() + "ms");
      return;
    }
    String play = a.json().getString("playId");
    String secret = a.json().getString("clientSecret", "");
    String pi = secret.contains("_secret_") ? secret.substring(0, secret.indexOf("_secret_")) : null;
    history.add(p, "ok", "play", node.name(), card, play, pi, "in " + a.millis() + "ms");
    Choice choice = choose();
    if (choice == Choice.PAY || choice == Choice.DECLINE) {
      String op = choice == Choice.PAY ? "pay" : "decline";
      history.add(p, "invoke", op, "stripe", card, play, pi, null);
      Api.Answer paid = Api.call("POST", cluster.stripeBase() + "/_sim/payment_intents/" + pi
          + (choice == Choice.PAY ? "/authorize" : "/decline"), null, "{}", REQUEST_TIMEOUT);
      history.add(p, paid.status() < 400 && paid.status() > 0 ? "ok" : paid.unknown() ? "info" : "fail", op,
          "stripe", card, play, pi, paid.reason());
    } else {
      // Elements has no cancel button at Stripe: a buyer who cancels simply never confirms
      history.add(p, "info", "abandon", "-", card, play, pi, choice == Choice.CANCEL ? "cancelled" : "walked away");
    }
    if (choice == Choice.PAY) {
      String status = awaitState(p, node, card, play, pi, "/api/play/" + play, "status", PLAY_FINAL);
      history.add(p, status == null ? "info" : "SETTLED".equals(status) ? "ok" : "fail", "outcome", node.name(),
          card, play, pi, status == null ? "not final within " + SETTLE_WAIT.toSeconds() + "s" : status);
    }
  }

  /** Polls the order or play on any node of its app until its field reaches a final value. */
  private String awaitState(String p, NodeProcess first, long card, String ref, String pi, String path, String field,
                            Set<String> finals) throws InterruptedException {
    long deadline = System.nanoTime() + SETTLE_WAIT.toNanos();
    AppName app = AppName.parse(first.app());
    String bearer = cluster.operatorToken(app);
    while (System.nanoTime() < deadline && !stop.get()) {
      Api.Answer a = Api.call("GET", cluster.url(anyNode(app), path), bearer, null, Duration.ofSeconds(5));
      String v = a.ok() ? a.json().getString(field) : null;
      if (v != null && finals.contains(v)) {
        return v;
      }
      Thread.sleep(1000);
    }
    return null;
  }

  private String sessionOf(String order) {
    for (int attempt = 0; attempt < 3; attempt++) {
      Api.Answer a = Api.call("GET", cluster.url(anyNode(AppName.STOREFRONT), "/api/storefronts/" + Stock.SHOP
          + "/orders/" + order), cluster.operatorToken(AppName.STOREFRONT), null, REQUEST_TIMEOUT);
      if (a.ok() && a.json().getString("checkoutSessionId") != null) {
        return a.json().getString("checkoutSessionId");
      }
    }
    return null;
  }

  private String paymentIntentOfSession(String session) {
    Api.Answer a = Api.call("GET", cluster.stripeBase() + "/v1/checkout/sessions/" + session, cluster.stripeKey(),
        null, REQUEST_TIMEOUT);
    Object pi = a.json().getValue("payment_intent");
    return pi instanceof String s ? s : pi instanceof JsonObject o ? o.getString("id") : null;
  }
}
