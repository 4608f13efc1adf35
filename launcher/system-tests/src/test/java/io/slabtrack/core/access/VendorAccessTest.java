package io.slabtrack.core.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.access.PublicRoutes;
import io.slabtrack.cluster.app.AppHttpVerticle;
import io.slabtrack.cluster.auth.Role;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.RouteWalk;
import io.slabtrack.cluster.testing.TestNode;
import io.slabtrack.cluster.testing.TestTokens;
import io.slabtrack.core.CoreApp;
import io.slabtrack.core.CoreFixture;
import io.slabtrack.core.CoreFixture.Resp;
import io.slabtrack.core.api.VendorAccess;
import io.slabtrack.storefront.StorefrontApp;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Vendors on core's API: their own cards, imports, engagements (ThisOrThat and their own shops, asked of a real
 * Storefront over the bus) and orders, nothing else; operators keep everything; buyers and anonymous callers get
 * nothing. Every route is tried with an operator, a vendor on its own and on another vendor's card, a buyer and no
 * session, and every route of core's router is walked with a vendor session.
 */
class VendorAccessTest {
  private static final String A = "vendor-a";
  private static final String B = "vendor-b";
  private static CoreFixture core;
  private static String vendorA;
  private static String vendorB;
  private static String buyer;

  @BeforeAll
  static void start() throws Exception {
    core = CoreFixture.start(Map.of(), new StorefrontApp());
    vendorA = TestTokens.session(TestNode.SECRET, A, Role.VENDOR);
    vendorB = TestTokens.session(TestNode.SECRET, B, Role.VENDOR);
    buyer = TestTokens.session(TestNode.SECRET, "buyer-c", Role.BUYER);
    shop("va-shop", A);
    shop("vb-shop", B);
  }

  @AfterAll
  static void stop() throws Exception {
    core.close();
  }

  private static void shop(String slug, String owner) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(core.node.url(AppName.STOREFRONT, "/api/storefronts")))
        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + TestTokens.operator(TestNode.SECRET, AppName.STOREFRONT))
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("slug", slug).put("name", slug)
            .put("ownerId", owner).encode())).build();
    HttpResponse<String> r = CoreFixture.HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
  }

  private static long card(String token, String player) throws Exception {
    Resp r = core.call("POST", "/api/cards", CoreFixture.card(player, 2_500), token);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().getLong("id");
  }

  private static Resp as(String token, String method, String path, Object body) throws Exception {
    return core.call(method, path, body, token);
  }

  @Test
  void vendorsReadAndEditTheirOwnCardsOnly() throws Exception {
    long mine = card(vendorA, "Vendor A Card");
    long theirs = card(vendorB, "Vendor B Card");
    long operators = card(core.operator, "Operator Card");
    assertThat(as(core.operator, "GET", "/api/cards/" + mine, null).json().getString("ownerId")).isEqualTo(A);

    List<Long> listed = ids(as(vendorA, "GET", "/api/cards?limit=200", null).json());
    assertThat(listed).contains(mine).doesNotContain(theirs, operators);
    assertThat(ids(as(core.operator, "GET", "/api/cards?limit=200", null).json())).contains(mine, theirs, operators);

    assertThat(as(vendorA, "GET", "/api/cards/" + mine, null).status()).isEqualTo(200);
    Resp other = as(vendorA, "GET", "/api/cards/" + theirs, null);
    assertThat(other.status()).isEqualTo(403);
    assertThat(other.error()).isEqualTo("not_your_card");
    assertThat(other.json().getString("message")).contains("own cards");
    assertThat(as(vendorA, "GET", "/api/cards/99999999", null).status()).isEqualTo(404);

    assertThat(as(vendorA, "PATCH", "/api/cards/" + mine, new JsonObject().put("askingPrice", 3_000)).status())
        .isEqualTo(200);
    assertThat(as(vendorA, "PATCH", "/api/cards/" + theirs, new JsonObject().put("askingPrice", 1)).status())
        .isEqualTo(403);
    assertThat(as(core.operator, "GET", "/api/cards/" + theirs, null).json().getLong("askingPrice")).isEqualTo(2_500);
    assertThat(as(core.operator, "PATCH", "/api/cards/" + theirs, new JsonObject().put("askingPrice", 2_600)).status())
        .as("operators keep everything").isEqualTo(200);

    // deleting, relisting, the audit and the bridge stay operator-only, even on the vendor's own card
    for (String[] call : new String[][] {{"DELETE", "/api/cards/" + mine}, {"POST", "/api/cards/" + mine + "/relist"},
        {"GET", "/api/pricing/audit"}, {"GET", "/api/bridge"}, {"GET", "/api/reconciler/runs"}}) {
      Resp r = as(vendorA, call[0], call[1], null);
      assertThat(r.status()).as(call[0] + " " + call[1]).isEqualTo(403);
      assertThat(r.error()).isEqualTo("operator_only");
    }
  }

  @Test
  void vendorsImportAsThemselvesAndReadOnlyTheirOwnJobs() throws Exception {
    JsonArray rows = new JsonArray().add(CoreFixture.card("Vendor Import 1", 1_000))
        .add(CoreFixture.card("Vendor Import 2", 1_100));
    Resp started = as(vendorA, "POST", "/api/cards/import", rows);
    assertThat(started.status()).as(started.body()).isEqualTo(202);
    String job = started.json().getString("progressUrl");
    CoreFixture.await("import done", Duration.ofSeconds(30), () -> quietly(vendorA, job).contains("\"done\""));
    assertThat(core.count("SELECT count(*) FROM cards WHERE player LIKE 'Vendor Import %' AND owner_id = $1", A))
        .isEqualTo(2);
    assertThat(as(vendorB, "GET", job, null).status()).isEqualTo(403);
    assertThat(as(core.operator, "GET", job, null).status()).isEqualTo(200);
  }

  @Test
  void vendorsEngageTheirOwnCardsOnThisOrThatAndTheirOwnShopsOnly() throws Exception {
    long mine = card(vendorA, "Vendor A Engage");
    long mine2 = card(vendorA, "Vendor A Engage 2");
    long theirs = card(vendorB, "Vendor B Engage");
    String engaged = "SELECT count(*) FROM card_channels WHERE card_id = $1 AND status = 'active' AND channel <> 'personal'";

    Resp ownShop = as(vendorA, "POST", "/api/cards/" + mine + "/channels/storefront",
        new JsonObject().put("shop", "va-shop"));
    assertThat(ownShop.status()).as(ownShop.body()).isEqualTo(200);
    Resp otherShop = as(vendorA, "POST", "/api/cards/" + mine2 + "/channels/storefront",
        new JsonObject().put("shop", "vb-shop"));
    assertThat(otherShop.status()).isEqualTo(403);
    assertThat(otherShop.error()).isEqualTo("not_your_shop");
    assertThat(as(vendorA, "POST", "/api/cards/" + mine2 + "/channels/storefront",
        new JsonObject().put("shop", "no-such-shop")).status()).isEqualTo(403);
    Resp ebay = as(vendorA, "POST", "/api/cards/" + mine2 + "/channels/ebay", null);
    assertThat(ebay.status()).isEqualTo(403);
    assertThat(ebay.error()).isEqualTo("vendor_channel");
    assertThat(as(vendorA, "POST", "/api/cards/" + theirs + "/channels/thisorthat", null).error())
        .isEqualTo("not_your_card");
    assertThat(core.count(engaged, mine2)).isZero();
    assertThat(core.count(engaged, theirs)).isZero();

    // a commit with one card of someone else's engages nothing
    JsonArray mixed = new JsonArray().add(new JsonObject().put("cardId", mine2).put("channel", "thisorthat"))
        .add(new JsonObject().put("cardId", theirs).put("channel", "thisorthat"));
    Resp refused = as(vendorA, "POST", "/api/channels/commit", mixed);
    assertThat(refused.status()).isEqualTo(403);
    JsonArray named = refused.json().getJsonObject("details").getJsonArray("cardIds");
    assertThat(named.size()).isEqualTo(1);
    assertThat(named.getLong(0)).isEqualTo(theirs);
    assertThat(core.count(engaged, mine2)).isZero();
    JsonArray own = new JsonArray().add(new JsonObject().put("cardId", mine2).put("channel", "thisorthat"));
    assertThat(as(vendorA, "POST", "/api/channels/commit", own).status()).isEqualTo(200);
    assertThat(core.count(engaged, mine2)).isEqualTo(1);
    JsonArray onOthersShop = new JsonArray().add(new JsonObject().put("cardId", mine2).put("channel", "storefront")
        .put("shop", "vb-shop"));
    assertThat(as(vendorA, "POST", "/api/channels/commit", onOthersShop).error()).isEqualTo("not_your_shop");

    assertThat(as(vendorB, "DELETE", "/api/cards/" + mine2 + "/channels/thisorthat", null).status()).isEqualTo(403);
    assertThat(as(vendorA, "DELETE", "/api/cards/" + mine2 + "/channels/thisorthat", null).status()).isEqualTo(204);
    assertThat(core.count(engaged, mine2)).isZero();

    // the operator engages anyone's card anywhere
    assertThat(as(core.operator, "POST", "/api/cards/" + theirs + "/channels/storefront",
        new JsonObject().put("shop", "va-shop")).status()).isEqualTo(200);
  }

  @Test
  void vendorsSeeTheOrdersOfTheirOwnCardsOnly() throws Exception {
    long mine = card(vendorA, "Vendor A Sold");
    long theirs = card(vendorB, "Vendor B Sold");
    String order = "INSERT INTO channel_orders (channel, order_ref, state, amount_cents, card_ids, last_event_at)"
        + " VALUES ('storefront', $1, 'paid', 2500, $2, now())";
    String refA = "order-a-" + UUID.randomUUID();
    String refB = "order-b-" + UUID.randomUUID();
    core.sql(order, refA, new Long[] {mine});
    core.sql(order, refB, new Long[] {theirs});
    assertThat(refs(as(vendorA, "GET", "/api/orders", null).json())).contains(refA).doesNotContain(refB);
    assertThat(refs(as(vendorB, "GET", "/api/orders", null).json())).contains(refB).doesNotContain(refA);
    assertThat(refs(as(core.operator, "GET", "/api/orders", null).json())).contains(refA, refB);
  }

  @Test
  void buyersAndAnonymousCallersGetNothingOnAnyVendorRoute() throws Exception {
    long someone = card(vendorA, "Vendor A Guarded");
    for (String[] call : new String[][] {{"GET", "/api/channels"}, {"GET", "/api/cards"}, {"POST", "/api/cards"},
        {"GET", "/api/cards/" + someone}, {"PATCH", "/api/cards/" + someone}, {"POST", "/api/cards/import"},
        {"GET", "/api/jobs/" + UUID.randomUUID()}, {"POST", "/api/cards/" + someone + "/channels/thisorthat"},
        {"DELETE", "/api/cards/" + someone + "/channels/thisorthat"}, {"POST", "/api/channels/commit"},
        {"GET", "/api/orders"}}) {
      Object body = "GET".equals(call[0]) || "DELETE".equals(call[0]) ? null : new JsonObject();
      Resp asBuyer = as(buyer, call[0], call[1], body);
      assertThat(asBuyer.status()).as("buyer " + call[0] + " " + call[1]).isEqualTo(403);
      assertThat(as(null, call[0], call[1], body).status()).as("anonymous " + call[0] + " " + call[1]).isEqualTo(401);
    }
    assertThat(core.count("SELECT count(*) FROM card_channels WHERE card_id = $1 AND channel = 'thisorthat'", someone))
        .isZero();
  }

  /**
   * Every route on core's router, sent with a vendor session: 403 unless it is opened to vendors (then anything but
   * a 401/403 of the role gate), public, a route any session may use by design, or an app-to-app route (listed).
   */
  @Test
  void everyRouteWithAVendorSessionIsOperatorOnlyExceptTheOpenedOnes() throws Exception {
    PublicRoutes open = AppHttpVerticle.publicRoutes(new CoreApp());
    // who am I, and handing the session to a satellite (a vendor needs it to manage its shop on the Storefront)
    PublicRoutes anySession = PublicRoutes.of("POST /api/auth/handoff", "GET /api/auth/me");
    // app-to-app routes refuse every session as the wrong kind of token (401), before roles come into it
    PublicRoutes serviceOnly = PublicRoutes.of("POST /api/webhooks/ecosystem-transfer/:step");
    List<RouteWalk.Probe> probes = RouteWalk.probes(core.node.runtime(AppName.CORE).router());
    List<String> breaches = new ArrayList<>();
    int opened = 0;
    for (RouteWalk.Probe p : probes) {
      if (!p.path().startsWith("/api/") || open.allows(p.method(), p.path())) {
        continue;
      }
      Object body = p.method() == HttpMethod.GET || p.method() == HttpMethod.DELETE ? null : new JsonObject();
      Resp r = as(vendorA, p.method().name(), p.path(), body);
      boolean vendorRoute = VendorAccess.VENDOR_ROUTES.allows(p.method(), p.path());
      if (vendorRoute) {
        opened++;
        if (r.status() == 401 || "operator_only".equals(errorOf(r)) || "forbidden".equals(errorOf(r))) {
          breaches.add(p + " is opened to vendors but answered " + r.status() + " " + r.body());
        }
      } else if (anySession.allows(p.method(), p.path())) {
        continue;
      } else if (serviceOnly.allows(p.method(), p.path()) ? r.status() != 401 : r.status() != 403) {
        breaches.add(p + " answered a vendor " + r.status() + " " + r.body());
      }
    }
    assertThat(opened).as("vendor routes found on the router").isGreaterThanOrEqualTo(11);
    assertThat(probes.size()).isGreaterThan(30);
    assertThat(breaches).isEmpty();
  }

  private static String errorOf(Resp r) {
    try {
      return r.json().getString("error");
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String quietly(String token, String path) {
    try {
      return as(token, "GET", path, null).body();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static List<Long> ids(JsonObject page) {
    List<Long> out = new ArrayList<>();
    page.getJsonArray("items").forEach(o -> out.add(((JsonObject) o).getLong("id")));
    return out;
  }

  private static List<String> refs(JsonObject page) {
    List<String> out = new ArrayList<>();
    page.getJsonArray("items").forEach(o -> out.add(((JsonObject) o).getString("orderRef")));
    return out;
  }
}
