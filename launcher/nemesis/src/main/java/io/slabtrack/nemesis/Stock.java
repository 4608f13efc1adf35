package io.slabtrack.nemesis;

import io.slabtrack.cluster.config.AppName;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hot cards: a shop connected to Stripe, and cards created at core and listed on ToT and in that shop, topped
 * up as they sell so buyers always race for about {@link #HOT} of them. The operator's work, through core's API.
 */
public final class Stock {
  private static final Logger LOG = LoggerFactory.getLogger(Stock.class);
  public static final int HOT = 50;
  public static final String SHOP = "nemesis-shop";

  private final Cluster cluster;
  private final Sql sql;
  /** Listed card id → its ToT listing id; cards leave when core says they are no longer listed. */
  private final Map<Long, Long> hot = new ConcurrentHashMap<>();
  private final List<Long> every = java.util.Collections.synchronizedList(new ArrayList<>());

  public Stock(Cluster cluster, Sql sql) {
    this.cluster = cluster;
    this.sql = sql;
  }

  /** Tries the app's nodes in random order until one answers (a restarting node refuses connections). */
  private Api.Answer operator(AppName app, String method, String path, String body) {
    List<NodeProcess> nodes = new ArrayList<>(cluster.nodes(app));
    java.util.Collections.shuffle(nodes);
    Api.Answer last = null;
    for (NodeProcess n : nodes) {
      last = Api.call(method, cluster.url(n, path), cluster.operatorToken(app), body, Duration.ofSeconds(20));
      if (!last.unknown() && last.status() != 503) {
        return last;
      }
    }
    return last;
  }

  public void openShop() throws InterruptedException {
    Api.Answer shop = operator(AppName.STOREFRONT, "POST", "/api/storefronts",
        new JsonObject().put("slug", SHOP).put("name", "Nemesis").encode());
    require(shop.status() == 201 || shop.status() == 409, "create shop", shop);
    Api.Answer link = operator(AppName.STOREFRONT, "POST", "/api/storefronts/" + SHOP + "/stripe/onboarding", null);
    require(link.ok(), "onboarding link", link);
    Api.call("GET", link.json().getString("url"), null, null, Duration.ofSeconds(10));
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      if (operator(AppName.STOREFRONT, "GET", "/api/storefronts/" + SHOP, null).json()
          .getBoolean("acceptingOrders", false)) {
        return;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("shop never accepted orders (Stripe onboarding webhook lost?)");
  }

  private static void require(boolean ok, String what, Api.Answer a) {
    if (!ok) {
      throw new IllegalStateException(what + ": " + a.status() + " " + a.body());
    }
  }

  /** Creates and lists cards until {@link #HOT} are listed; waits for both satellites to show them. */
  public void topUp(Duration wait) throws InterruptedException {
    refresh();
    int missing = HOT - hot.size();
    if (missing <= 0) {
      return;
    }
    List<Long> created = new ArrayList<>();
    for (int i = 0; i < missing; i++) {
      Api.Answer card = operator(AppName.CORE, "POST", "/api/cards", new JsonObject()
          .put("player", "Nemesis " + UUID.randomUUID().toString().substring(0, 8)).put("year", 2020)
          .put("gradingCompany", "PSA").put("grade", 10)
          .put("askingPrice", 2_000 + ThreadLocalRandom.current().nextInt(30) * 100).encode());
      if (card.status() == 201) {
        created.add(card.json().getLong("id"));
      }
    }
    JsonArray commit = new JsonArray();
    for (long id : created) {
      commit.add(new JsonObject().put("cardId", id).put("channel", "thisorthat"));
      commit.add(new JsonObject().put("cardId", id).put("channel", "storefront").put("shop", SHOP));
    }
    if (!created.isEmpty()) {
      Api.Answer committed = operator(AppName.CORE, "POST", "/api/channels/commit", commit.encode());
      if (!committed.ok()) {
        LOG.warn("commit of {} cards: {}", created.size(), committed.reason());
        return;
      }
      every.addAll(created);
    }
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < deadline) {
      refresh();
      if (hot.keySet().containsAll(created)) {
        break;
      }
      Thread.sleep(500);
    }
  }

  /** The cards core still lists that both satellites show, each with its ToT listing. */
  private void refresh() {
    if (every.isEmpty()) {
      return;
    }
    Long[] ids = every.toArray(Long[]::new);
    List<Long> listed = new ArrayList<>();
    for (Row r : sql.rows(AppName.CORE, "SELECT id FROM cards WHERE id = ANY($1) AND listing_status = 'listed'",
        (Object) ids)) {
      listed.add(r.getLong(0));
    }
    Map<Long, Long> listings = new java.util.HashMap<>();
    for (Row r : sql.rows(AppName.TOT, "SELECT lc.card_id, l.id FROM listing_cards lc JOIN listings l "
        + "ON l.id = lc.listing_id WHERE lc.card_id = ANY($1) AND l.status = 'ACTIVE'", (Object) ids)) {
      listings.put(r.getLong(0), r.getLong(1));
    }
    java.util.Set<Long> inShop = new java.util.HashSet<>();
    for (Row r : sql.rows(AppName.STOREFRONT, "SELECT slabtrack_card_id FROM storefront_cards "
        + "WHERE slabtrack_card_id = ANY($1) AND listed", (Object) ids)) {
      inShop.add(r.getLong(0));
    }
    hot.keySet().retainAll(listed);
    for (long id : listed) {
      if (listings.containsKey(id) && inShop.contains(id)) {
        hot.put(id, listings.get(id));
      }
    }
  }

  /** A random hot card and its ToT listing, or null when none is listed right now. */
  public long[] pick() {
    List<Map.Entry<Long, Long>> cards = new ArrayList<>(hot.entrySet());
    if (cards.isEmpty()) {
      return null;
    }
    Map.Entry<Long, Long> e = cards.get(ThreadLocalRandom.current().nextInt(cards.size()));
    return new long[] {e.getKey(), e.getValue()};
  }

  public List<Long> allCards() {
    synchronized (every) {
      return List.copyOf(every);
    }
  }

  public int hotCount() {
    return hot.size();
  }
}
