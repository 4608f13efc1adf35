package io.slabtrack.core.claims;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.bus.BusTokens;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.TestNode;
import io.slabtrack.cluster.testing.TestTokens;
import io.slabtrack.core.CoreFixture;
import io.slabtrack.core.CoreFixture.Resp;
import io.slabtrack.core.Receiver;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Claims and releases are tied to the app that sells through the claim's channel: over HTTP by the service token's
 * {@code sub}, over the bus by the service token the sender's relay puts in a header. Everything refused here
 * changes nothing.
 */
class ClaimCallersTest {
  @RegisterExtension
  static final CoreFixture core = CoreFixture.perClass();
  private static Receiver tot;
  private static Receiver shop;

  @BeforeAll
  static void start() throws Exception {
    tot = Receiver.on(core.node.vertx(), Addresses.TOT_CARDS_PUBLISH);
    shop = Receiver.on(core.node.vertx(), Addresses.STOREFRONT_CARDS_PUBLISH);
  }

  @AfterAll
  static void stop() throws Exception {
    tot.close();
    shop.close();
  }

  private static long listedOnBoth() throws Exception {
    return core.cardListedOn("Owned", 4000, "thisorthat", "storefront");
  }

  /** A Storefront claim as Storefront's checkout names it: the claim id is easy to guess. */
  private static JsonObject storefrontClaim(long cardId) {
    String orderId = UUID.randomUUID().toString();
    return new JsonObject().put("eventId", UUID.randomUUID().toString()).put("occurredAt", Instant.now().toString())
        .put("claimId", "sf-claim-" + orderId).put("channel", "storefront").put("orderRef", orderId)
        .putNull("lockRef").put("cardIds", new JsonArray().add(cardId)).put("amountCents", 4000)
        .put("authExpiresAt", Instant.now().plus(Duration.ofDays(6)).toString());
  }

  private static JsonObject releaseOf(JsonObject claim) {
    return new JsonObject().put("eventId", UUID.randomUUID().toString()).put("occurredAt", Instant.now().toString())
        .put("claimId", claim.getString("claimId")).put("channel", claim.getString("channel"))
        .put("orderRef", claim.getString("orderRef")).put("cardIds", claim.getJsonArray("cardIds"))
        .put("reason", "capture_failed");
  }

  private static DeliveryOptions from(AppName app) {
    return TestTokens.busFrom(TestNode.SECRET, app, AppName.CORE);
  }

  private static JsonObject request(String address, JsonObject body, DeliveryOptions options) throws Exception {
    return core.node.vertx().eventBus().<JsonObject>request(address, body, options).await(30, TimeUnit.SECONDS).body();
  }

  private static void assertRefused(String address, JsonObject body, DeliveryOptions options, int code,
                                    String error) {
    assertThatThrownBy(() -> request(address, body, options)).isInstanceOfSatisfying(ReplyException.class, e -> {
      assertThat(e.failureCode()).as(e.getMessage()).isEqualTo(code);
      assertThat(new JsonObject(e.getMessage()).getString("error")).isEqualTo(error);
    });
  }

  private static String listingStatus(long id) throws Exception {
    return core.get("/api/cards/" + id).json().getString("listingStatus");
  }

  private static long inboxRows(JsonObject message) throws Exception {
    return core.count("SELECT count(*) FROM inbox WHERE event_id = $1",
        UUID.fromString(message.getString("eventId")));
  }

  private static JsonObject soldToStorefront(long id) throws Exception {
    JsonObject claim = storefrontClaim(id);
    assertThat(request(Addresses.CORE_SALE_CLAIM, claim, from(AppName.STOREFRONT)).getString("outcome"))
        .isEqualTo("won");
    assertThat(listingStatus(id)).isEqualTo("sold");
    return claim;
  }

  @Test
  void totCannotReleaseAStorefrontClaimOverHttp() throws Exception {
    long id = listedOnBoth();
    JsonObject claim = soldToStorefront(id);
    String totToken = TestTokens.service(TestNode.SECRET, AppName.TOT, AppName.CORE);

    Resp refused = core.call("POST", "/api/webhooks/ecosystem-transfer/release", releaseOf(claim), totToken);
    assertThat(refused.status()).as(refused.body()).isEqualTo(403);
    assertThat(refused.error()).isEqualTo("channel_not_owned");
    assertThat(listingStatus(id)).as("the paid card stays sold").isEqualTo("sold");
    assertThat(core.count("SELECT count(*) FROM sale_claims WHERE claim_id = $1 AND released_at IS NULL",
        claim.getString("claimId"))).isEqualTo(1);
    assertThat(core.count("SELECT count(*) FROM conflict_log WHERE kind = 'claim_released' AND card_id = $1", id))
        .isZero();

    // the owner may
    Resp released = core.call("POST", "/api/webhooks/ecosystem-transfer/release", releaseOf(claim),
        TestTokens.service(TestNode.SECRET, AppName.STOREFRONT, AppName.CORE));
    assertThat(released.status()).as(released.body()).isEqualTo(200);
    assertThat(listingStatus(id)).isEqualTo("personal");
  }

  @Test
  void totCannotReleaseAStorefrontClaimOverTheBus() throws Exception {
    long id = listedOnBoth();
    JsonObject claim = soldToStorefront(id);
    JsonObject release = releaseOf(claim);

    assertRefused(Addresses.CORE_SALE_RELEASE, release, from(AppName.TOT), 403, "channel_not_owned");
    assertRefused(Addresses.CORE_SALE_RELEASE, release, new DeliveryOptions(), 401, "unauthorized");
    assertThat(listingStatus(id)).isEqualTo("sold");
    assertThat(inboxRows(release)).as("a refused message leaves no inbox row").isZero();

    // the same message from its owner goes through: the refusals did not burn its eventId
    assertThat(request(Addresses.CORE_SALE_RELEASE, release, from(AppName.STOREFRONT)).getBoolean("released"))
        .isTrue();
    assertThat(listingStatus(id)).isEqualTo("personal");
  }

  @Test
  void aClaimWithoutAValidTokenOfItsChannelsAppIsRefusedAndChangesNothing() throws Exception {
    long id = listedOnBoth();
    JsonObject claim = storefrontClaim(id);
    long version = core.get("/api/cards/" + id).json().getLong("version");

    assertRefused(Addresses.CORE_SALE_CLAIM, claim, new DeliveryOptions(), 401, "unauthorized");
    assertRefused(Addresses.CORE_SALE_CLAIM, claim, new DeliveryOptions().addHeader(BusTokens.HEADER, "not-a-jwt"),
        401, "unauthorized");
    // a real token, but meant for another app
    assertRefused(Addresses.CORE_SALE_CLAIM, claim, new DeliveryOptions().addHeader(BusTokens.HEADER,
        TestTokens.service(TestNode.SECRET, AppName.STOREFRONT, AppName.TOT)), 401, "unauthorized");
    // signed with another secret (anyone on the bus can mint those)
    assertRefused(Addresses.CORE_SALE_CLAIM, claim, new DeliveryOptions().addHeader(BusTokens.HEADER,
        TestTokens.service("another-secret-another-secret-0123456789", AppName.STOREFRONT, AppName.CORE)),
        401, "unauthorized");
    // a session token is a person, not an app
    assertRefused(Addresses.CORE_SALE_CLAIM, claim, new DeliveryOptions().addHeader(BusTokens.HEADER,
        TestTokens.operator(TestNode.SECRET)), 401, "unauthorized");
    // the wrong app: ToT claiming for Storefront's channel
    assertRefused(Addresses.CORE_SALE_CLAIM, claim, from(AppName.TOT), 403, "channel_not_owned");
    // core is no selling app
    assertRefused(Addresses.CORE_SALE_CLAIM, claim, new DeliveryOptions().addHeader(BusTokens.HEADER,
        TestTokens.service(TestNode.SECRET, AppName.CORE, AppName.CORE)), 403, "forbidden");

    JsonObject card = core.get("/api/cards/" + id).json();
    assertThat(card.getString("listingStatus")).isEqualTo("listed");
    assertThat(card.getLong("version")).isEqualTo(version);
    assertThat(core.count("SELECT count(*) FROM sale_claims WHERE claim_id = $1", claim.getString("claimId")))
        .isZero();
    assertThat(inboxRows(claim)).isZero();
    assertThat(core.count("SELECT count(*) FROM conflict_log WHERE card_id = $1 AND kind LIKE 'claim%'", id))
        .isZero();

    // and over HTTP: ToT's service token can't claim for Storefront either
    Resp http = core.call("POST", "/api/webhooks/ecosystem-transfer/claim", claim,
        TestTokens.service(TestNode.SECRET, AppName.TOT, AppName.CORE));
    assertThat(http.status()).as(http.body()).isEqualTo(403);
    assertThat(http.error()).isEqualTo("channel_not_owned");
    Resp complete = core.call("POST", "/api/sale-locks/complete",
        new JsonObject().put("lockRef", "tot-lock-ref-000001").put("claim", claim),
        TestTokens.service(TestNode.SECRET, AppName.TOT, AppName.CORE));
    assertThat(complete.status()).as(complete.body()).isEqualTo(403);
    assertThat(listingStatus(id)).isEqualTo("listed");
  }

  @Test
  void anotherAppGetsNeitherTheAnswerNorTheClaimIdOfAStorefrontClaim() throws Exception {
    long id = listedOnBoth();
    JsonObject claim = soldToStorefront(id);

    // ToT reuses the claimId for its own channel: refused, not answered with Storefront's decision
    JsonObject hijack = claim.copy().put("eventId", UUID.randomUUID().toString()).put("channel", "thisorthat");
    assertRefused(Addresses.CORE_SALE_CLAIM, hijack, from(AppName.TOT), 409, "claim_conflict");
    Resp http = core.call("POST", "/api/webhooks/ecosystem-transfer/claim", hijack,
        TestTokens.service(TestNode.SECRET, AppName.TOT, AppName.CORE));
    assertThat(http.status()).as(http.body()).isEqualTo(409);
    assertThat(http.body()).doesNotContain("won");

    // ToT resends Storefront's eventId: the inbox answers a redelivery only to the app that sent it first
    JsonObject replay = claim.copy().put("channel", "thisorthat").put("claimId", "tot-" + UUID.randomUUID());
    assertRefused(Addresses.CORE_SALE_CLAIM, replay, from(AppName.TOT), 409, "event_id_conflict");
    assertThat(request(Addresses.CORE_SALE_CLAIM, claim, from(AppName.STOREFRONT)).getString("outcome"))
        .as("Storefront's own redelivery still gets its answer").isEqualTo("won");
    assertThat(core.get("/api/cards/" + id).json().getJsonObject("sold").getString("channel")).isEqualTo("storefront");
  }

  @Test
  void orderEventsComeOnlyFromTheirChannelsApp() throws Exception {
    JsonObject event = new JsonObject().put("eventId", UUID.randomUUID().toString()).put("channel", "storefront")
        .put("orderRef", "forged-" + UUID.randomUUID()).put("state", "refunded").put("amountCents", 100)
        .put("occurredAt", Instant.now().toString());
    assertRefused(Addresses.CORE_ORDERS_EVENT, event, new DeliveryOptions(), 401, "unauthorized");
    assertRefused(Addresses.CORE_ORDERS_EVENT, event, from(AppName.TOT), 403, "channel_not_owned");
    assertThat(core.count("SELECT count(*) FROM channel_orders WHERE order_ref = $1", event.getString("orderRef")))
        .isZero();
    assertThat(request(Addresses.CORE_ORDERS_EVENT, event, from(AppName.STOREFRONT)).getBoolean("recorded")).isTrue();
  }
}
