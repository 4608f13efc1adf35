package io.slabtrack.storefront.reconcile;

import static io.slabtrack.storefront.StorefrontFixture.cardEvent;
import static io.slabtrack.storefront.StorefrontFixture.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.bus.Addresses.ReconcileSnapshot;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.storefront.StorefrontFixture;
import io.slabtrack.storefront.StorefrontFixture.Resp;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The listings snapshot over the bus (core's way) and HTTP (operators'), paging, engaged semantics and bad input; and
 * the Stripe check on a node without Stripe.
 */
class ReconcileListingsTest {
  private static final long FIRST_BULK_ID = 1_000_001L;
  private static final int BULK = 2_500;
  private static StorefrontFixture sf;

  @BeforeAll
  static void start() throws Exception {
    sf = StorefrontFixture.start(Map.of("STRIPE_SIMULATOR", "false")); // no Stripe on this node
    sf.shop("bulk-shop", "rita");
    // a large inventory straight into the table: this test is about reading it back page by page
    sf.sql("INSERT INTO storefront_cards (slabtrack_card_id, shop_slug, snapshot, published_price, version) "
        + "SELECT g, 'bulk-shop', '{}'::jsonb, 100, 1 FROM generate_series($1::bigint, $2::bigint) g",
        FIRST_BULK_ID, FIRST_BULK_ID + BULK - 1);
  }

  @AfterAll
  static void stop() throws Exception {
    sf.close();
  }

  private static String address(ReconcileSnapshot snapshot) {
    return Addresses.reconcile(AppName.STOREFRONT, snapshot);
  }

  private static JsonObject bus(ReconcileSnapshot snapshot, JsonObject body) throws Exception {
    return sf.node.vertx().eventBus().<JsonObject>request(address(snapshot), body).toCompletionStage()
        .toCompletableFuture().get(30, TimeUnit.SECONDS).body();
  }

  private static ReplyException busFailure(ReconcileSnapshot snapshot, JsonObject body) throws Exception {
    try {
      bus(snapshot, body);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(ReplyException.class);
      return (ReplyException) e.getCause();
    }
    throw new AssertionError("expected " + body + " to fail");
  }

  @Test
  void pagingReturnsEachCardExactlyOnceAndEndsWithNextNull() throws Exception {
    List<Long> seen = new ArrayList<>();
    Object after = null;
    int pages = 0;
    do {
      JsonObject page = bus(ReconcileSnapshot.LISTINGS, new JsonObject().put("after", after).put("limit", 100));
      assertThat(page.getString("channel")).isEqualTo("storefront");
      assertThat(page.getJsonArray("items").size()).isLessThanOrEqualTo(100);
      page.getJsonArray("items").forEach(i -> seen.add(((JsonObject) i).getLong("cardId")));
      after = page.getValue("next");
      if (after != null) {
        assertThat(after).as("next is the last card id of the page, as a string")
            .isEqualTo(String.valueOf(seen.get(seen.size() - 1)));
      }
      pages++;
      assertThat(pages).as("paging terminates").isLessThan(100);
    } while (after != null);
    List<Long> bulk = seen.stream().filter(id -> id >= FIRST_BULK_ID && id < FIRST_BULK_ID + BULK).toList();
    assertThat(bulk).hasSize(BULK);
    assertThat(new HashSet<>(seen)).hasSameSizeAs(seen);
    assertThat(seen).isSorted();
    assertThat(pages).as("an exact multiple of the limit ends on a full page, not an extra empty one")
        .isEqualTo((int) Math.ceil(sf.count("SELECT count(*) FROM storefront_cards") / 100.0));

    // the HTTP route pages the same way
    Resp first = sf.call("GET", "/api/reconcile/listings?limit=7", null, sf.operator);
    assertThat(first.status()).as(first.toString()).isEqualTo(200);
    assertThat(first.items()).hasSize(7);
    Resp second = sf.call("GET", "/api/reconcile/listings?limit=7&after=" + first.json().getString("next"), null,
        sf.operator);
    assertThat(((JsonObject) second.items().getValue(0)).getLong("cardId")).isEqualTo(seen.get(7));
  }

  @Test
  void engagedFollowsCoreNotTheOwnersHiding() throws Exception {
    sf.shop("mixed-shop", "sam");
    long active = 7001;
    long hidden = 7002;
    long withdrawn = 7003;
    long sold = 7004;
    for (long id : List.of(active, hidden, withdrawn, sold)) {
      sf.publish(cardEvent("publish", "mixed-shop", id, 3, 500L, snapshot("P" + id, "Topps Chrome", 9)));
    }
    Resp hide = sf.call("PATCH", "/api/storefronts/mixed-shop/cards/" + hidden, new JsonObject().put("hidden", true),
        StorefrontFixture.vendor("sam"));
    assertThat(hide.status()).as(hide.toString()).isEqualTo(200);
    Resp disengage = sf.call("POST", "/api/storefronts/mixed-shop/cards",
        cardEvent("disengage", "mixed-shop", withdrawn, 4, null, null).put("reason", "sold_elsewhere"), sf.service);
    assertThat(disengage.status()).as(disengage.toString()).isEqualTo(200);
    sf.sql("UPDATE storefront_cards SET status = 'sold' WHERE slabtrack_card_id = $1", sold);

    JsonObject page = bus(ReconcileSnapshot.LISTINGS, new JsonObject().put("after", "7000").put("limit", 4));
    assertThat(page.getJsonArray("items")).hasSize(4);
    JsonObject a = item(page, active);
    assertThat(a.getString("listingKey")).isEqualTo("card:" + active);
    assertThat(a.getString("listingId")).isEqualTo(String.valueOf(active));
    assertThat(a.getString("shop")).isEqualTo("mixed-shop");
    assertThat(a.getLong("version")).isEqualTo(3L);
    assertThat(a.containsKey("lotKey")).isTrue();
    assertThat(a.getValue("lotKey")).isNull();
    assertThat(a.getString("status")).isEqualTo("active");
    assertThat(a.getBoolean("engaged")).isTrue();
    assertThat(item(page, hidden).getString("status")).isEqualTo("hidden");
    assertThat(item(page, hidden).getBoolean("engaged")).as("hiding is the owner's choice, not drift").isTrue();
    assertThat(item(page, withdrawn).getString("status")).isEqualTo("withdrawn");
    assertThat(item(page, withdrawn).getBoolean("engaged")).isFalse();
    assertThat(item(page, withdrawn).getLong("version")).isEqualTo(4L);
    assertThat(item(page, sold).getString("status")).isEqualTo("sold");
    assertThat(item(page, sold).getBoolean("engaged")).isFalse();
  }

  private static JsonObject item(JsonObject page, long cardId) {
    return page.getJsonArray("items").stream().map(JsonObject.class::cast)
        .filter(i -> i.getLong("cardId") == cardId).findFirst().orElseThrow(() -> new AssertionError(cardId + " missing"));
  }

  @Test
  void badPagingIs400OverHttpAndTheBus() throws Exception {
    for (String query : List.of("limit=0", "limit=1001", "limit=abc", "limit=-5", "after=abc", "after=12x")) {
      Resp r = sf.call("GET", "/api/reconcile/listings?" + query, null, sf.operator);
      assertThat(r.status()).as(query + ": " + r).isEqualTo(400);
      assertThat(r.error()).isEqualTo("invalid_field");
      assertThat(r.field()).isEqualTo(query.substring(0, query.indexOf('=')));
    }
    List<JsonObject> bad = List.of(new JsonObject().put("limit", 0), new JsonObject().put("limit", 2.5),
        new JsonObject().put("limit", "10"), new JsonObject().put("after", "nope"),
        new JsonObject().put("after", new JsonObject()));
    for (JsonObject body : bad) {
      ReplyException e = busFailure(ReconcileSnapshot.LISTINGS, body);
      assertThat(e.failureCode()).as(body.encode()).isEqualTo(400);
      assertThat(new JsonObject(e.getMessage()).getString("error")).isEqualTo("invalid_field");
    }
    for (ReconcileSnapshot s : List.of(ReconcileSnapshot.ORDERS, ReconcileSnapshot.CHECKOUTS)) {
      assertThat(busFailure(s, new JsonObject().put("limit", 5000)).failureCode()).isEqualTo(400);
      assertThat(sf.call("GET", "/api/reconcile/" + s.id() + "?limit=0", null, sf.operator).status()).isEqualTo(400);
    }
  }

  @Test
  void theOperatorRoutesNeedAnOperatorSession() throws Exception {
    for (String path : List.of("listings", "orders", "checkouts", "stripe")) {
      assertThat(sf.call("GET", "/api/reconcile/" + path, null, null).status()).as(path).isEqualTo(401);
      assertThat(sf.call("GET", "/api/reconcile/" + path, null, StorefrontFixture.vendor("sam")).status()).as(path)
          .isEqualTo(403);
      assertThat(sf.call("GET", "/api/reconcile/" + path, null, sf.service).status()).as(path).isIn(401, 403);
    }
    assertThat(sf.call("POST", "/api/reconcile/stripe", new JsonObject().put("mode", "heal"), null).status())
        .isEqualTo(401);
  }

  @Test
  void withoutStripeTheCheckSaysNotConfiguredButStillRefusesBadInput() throws Exception {
    JsonObject reply = bus(ReconcileSnapshot.STRIPE, new JsonObject());
    assertThat(reply.getString("channel")).isEqualTo("storefront");
    assertThat(reply.getBoolean("configured")).isFalse();
    assertThat(reply.getJsonArray("items")).isEmpty();
    assertThat(reply.containsKey("next")).isTrue();
    assertThat(reply.getValue("next")).isNull();
    Resp post = sf.call("POST", "/api/reconcile/stripe", new JsonObject().put("mode", "heal"), sf.operator);
    assertThat(post.status()).as(post.toString()).isEqualTo(200);
    assertThat(post.json().getBoolean("configured")).isFalse();

    ReplyException mode = busFailure(ReconcileSnapshot.STRIPE, new JsonObject().put("mode", "fix"));
    assertThat(mode.failureCode()).isEqualTo(400);
    assertThat(new JsonObject(mode.getMessage()).getJsonObject("details").getString("field")).isEqualTo("mode");
    Resp days = sf.call("POST", "/api/reconcile/stripe", new JsonObject().put("sinceDays", 31), sf.operator);
    assertThat(days.status()).isEqualTo(400);
    assertThat(days.field()).isEqualTo("sinceDays");
    Resp getMode = sf.call("GET", "/api/reconcile/stripe?mode=repair", null, sf.operator);
    assertThat(getMode.status()).isEqualTo(400);
    assertThat(getMode.field()).isEqualTo("mode");
  }
}
