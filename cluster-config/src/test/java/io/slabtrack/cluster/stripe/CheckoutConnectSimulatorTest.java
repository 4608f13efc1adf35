package io.slabtrack.cluster.stripe;

import static io.slabtrack.cluster.stripe.StripeSimFixture.object;
import static io.slabtrack.cluster.stripe.StripeSimFixture.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.model.Account;
import com.stripe.model.AccountLink;
import com.stripe.model.Event;
import com.stripe.model.PaymentIntent;
import com.stripe.model.checkout.Session;
import com.stripe.net.ApiResource;
import com.stripe.param.AccountCreateParams;
import com.stripe.param.AccountLinkCreateParams;
import com.stripe.param.checkout.SessionCreateParams;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.http.ApiException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Storefront's path: Connect Express onboarding, then destination-charge Checkout under manual capture. */
class CheckoutConnectSimulatorTest {
  private static StripeSimFixture sim;
  private static String shopAccount;

  @BeforeAll
  static void start() throws Exception {
    sim = new StripeSimFixture(AppName.STOREFRONT);
    shopAccount = onboardedAccount();
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  private static String onboardedAccount() {
    Account account = sim.gateway.createAccount(AccountCreateParams.builder().setType(AccountCreateParams.Type.EXPRESS)
        .setEmail("seller@example.com").build(), "storefront-account-" + UUID.randomUUID()).await();
    AccountLink link = sim.gateway.createAccountLink(AccountLinkCreateParams.builder().setAccount(account.getId())
        .setRefreshUrl("http://shop.test/refresh").setReturnUrl("http://shop.test/return")
        .setType(AccountLinkCreateParams.Type.ACCOUNT_ONBOARDING).build(), "storefront-link-" + UUID.randomUUID())
        .await();
    var opened = sim.http.getAbs(link.getUrl()).followRedirects(false).send().await();
    assertThat(opened.statusCode()).isEqualTo(302);
    assertThat(opened.getHeader("Location")).isEqualTo("http://shop.test/return");
    return account.getId();
  }

  private static SessionCreateParams session(String orderId, String destination, long expiresAt) {
    return SessionCreateParams.builder()
        .setMode(SessionCreateParams.Mode.PAYMENT)
        .setSuccessUrl("http://shop.test/ok?session={CHECKOUT_SESSION_ID}")
        .setCancelUrl("http://shop.test/cancel")
        .setExpiresAt(expiresAt)
        .setCustomerEmail("buyer@example.com")
        .putMetadata("orderId", orderId)
        .addLineItem(SessionCreateParams.LineItem.builder().setQuantity(1L)
            .setPriceData(SessionCreateParams.LineItem.PriceData.builder().setCurrency("usd").setUnitAmount(10_000L)
                .setProductData(SessionCreateParams.LineItem.PriceData.ProductData.builder().setName("PSA 10").build())
                .build())
            .build())
        .setPaymentIntentData(SessionCreateParams.PaymentIntentData.builder()
            .setCaptureMethod(SessionCreateParams.PaymentIntentData.CaptureMethod.MANUAL)
            .setApplicationFeeAmount(PlatformFees.DEFAULT.applicationFeeCents(10_000))
            .setTransferData(SessionCreateParams.PaymentIntentData.TransferData.builder().setDestination(destination)
                .build())
            .putMetadata("orderId", orderId)
            .build())
        .build();
  }

  private static long in31Minutes() {
    return Instant.now().plusSeconds(31 * 60).getEpochSecond();
  }

  private static Session newSession(String orderId) {
    return sim.gateway.createCheckoutSession(session(orderId, shopAccount, in31Minutes()),
        "storefront-checkout-" + orderId).await();
  }

  @Test
  void onboardingEnablesChargesAndTellsTheConnectEndpointOnly() {
    JsonObject updated = sim.awaitConnect(type("account.updated").and(e -> shopAccount.equals(e.getString("account"))),
        1).get(0);
    assertThat(object(updated).getBoolean("charges_enabled")).isTrue();
    assertThat(updated.getJsonObject("data").getJsonObject("previous_attributes").getBoolean("charges_enabled"))
        .isFalse();
    assertThat(sim.platformEvents).noneMatch(type("account.updated"));
    assertThat(sim.gateway.retrieveAccount(shopAccount).await().getChargesEnabled()).isTrue();
  }

  @Test
  void aShopNotYetOnboardedCannotTakeCharges() {
    Account fresh = sim.gateway.createAccount(AccountCreateParams.builder().setType(AccountCreateParams.Type.EXPRESS)
        .build(), "storefront-account-" + UUID.randomUUID()).await();
    assertThat(fresh.getChargesEnabled()).isFalse();
    assertThatThrownBy(() -> sim.gateway.createCheckoutSession(session("o-x", fresh.getId(), in31Minutes()),
        "storefront-checkout-o-x").await())
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(409));
  }

  @Test
  void paidCheckoutAuthorizesAndSignsItsEvents() {
    Session s = newSession("o-paid");
    assertThat(s.getId()).startsWith("cs_");
    assertThat(s.getUrl()).isEqualTo(sim.simulator.baseUrl() + "/checkout/" + s.getId());
    assertThat(s.getPaymentStatus()).isEqualTo("unpaid");

    assertThat(sim.control("/_sim/checkout/" + s.getId() + "/pay", null).statusCode()).isEqualTo(200);
    JsonObject authorized = sim.awaitPlatform(type("payment_intent.amount_capturable_updated")
        .and(e -> "o-paid".equals(object(e).getJsonObject("metadata").getString("orderId"))), 1).get(0);
    JsonObject pi = object(authorized);
    assertThat(pi.getString("status")).isEqualTo("requires_capture");
    assertThat(pi.getLong("application_fee_amount")).isEqualTo(620);
    assertThat(pi.getJsonObject("transfer_data").getString("destination")).isEqualTo(shopAccount);
    JsonObject completed = sim.awaitPlatform(type("checkout.session.completed")
        .and(e -> s.getId().equals(object(e).getString("id"))), 1).get(0);
    assertThat(object(completed).getString("payment_status")).isEqualTo("unpaid");
    assertThat(object(completed).getString("payment_intent")).isEqualTo(pi.getString("id"));

    // stamped with stripe-java's API version, so even its typed view is filled in
    Event typed = ApiResource.GSON.fromJson(completed.encode(), Event.class);
    assertThat(typed.getDataObjectDeserializer().getObject()).isPresent();

    Session again = sim.gateway.retrieveCheckoutSession(s.getId()).await();
    assertThat(again.getPaymentIntentObject().getStatus()).isEqualTo("requires_capture");
    PaymentIntent captured = sim.gateway.capturePaymentIntent(pi.getString("id"), null, "storefront-capture-o-paid")
        .await();
    assertThat(captured.getStatus()).isEqualTo("succeeded");
  }

  @Test
  void aDeclineKeepsTheSessionOpenForARetry() {
    Session s = newSession("o-retry");
    JsonObject failed = sim.control("/_sim/checkout/" + s.getId() + "/decline", null).bodyAsJsonObject();
    assertThat(failed.getString("status")).isEqualTo("requires_payment_method");
    assertThat(failed.getJsonObject("last_payment_error").getString("code")).isEqualTo("card_declined");
    sim.awaitPlatform(type("payment_intent.payment_failed").and(e -> failed.getString("id")
        .equals(object(e).getString("id"))), 1);
    assertThat(sim.gateway.retrieveCheckoutSession(s.getId()).await().getStatus()).isEqualTo("open");

    JsonObject paid = sim.control("/_sim/checkout/" + s.getId() + "/pay", null).bodyAsJsonObject();
    assertThat(paid.getString("status")).isEqualTo("complete");
    assertThat(paid.getString("payment_intent")).isEqualTo(failed.getString("id"));
  }

  @Test
  void theHostedPagePaysAndReturnsToTheShop() {
    Session s = newSession("o-page");
    String html = sim.http.getAbs(s.getUrl()).send().await().bodyAsString();
    assertThat(html).contains("USD 100.00").contains("/checkout/" + s.getId() + "/pay");
    var paid = sim.http.postAbs(s.getUrl() + "/pay").followRedirects(false).send().await();
    assertThat(paid.statusCode()).isEqualTo(303);
    assertThat(paid.getHeader("Location")).isEqualTo("http://shop.test/ok?session=" + s.getId());
  }

  @Test
  void expiringASessionEmitsExpiredAndClosesIt() {
    Session s = newSession("o-expire");
    Session expired = sim.gateway.expireCheckoutSession(s.getId(), "storefront-expire-o-expire").await();
    assertThat(expired.getStatus()).isEqualTo("expired");
    sim.awaitPlatform(type("checkout.session.expired").and(e -> s.getId().equals(object(e).getString("id"))), 1);
    assertThat(sim.control("/_sim/checkout/" + s.getId() + "/pay", null).statusCode()).isEqualTo(400);
  }

  @Test
  void anOpenSessionExpiresByItselfAtExpiresAt() {
    Session s = newSession("o-lapse");
    sim.control("/_sim/clock/advance", new JsonObject().put("seconds", 32 * 60));
    try {
      sim.awaitPlatform(type("checkout.session.expired").and(e -> s.getId().equals(object(e).getString("id"))), 1);
    } finally {
      sim.control("/_sim/clock/advance", new JsonObject().put("seconds", -32 * 60));
    }
    assertThat(sim.gateway.retrieveCheckoutSession(s.getId()).await().getStatus()).isEqualTo("expired");
  }

  @Test
  void expiryUnderThirtyMinutesIsRefused() {
    long tooSoon = Instant.now().plusSeconds(29 * 60).getEpochSecond();
    assertThatThrownBy(() -> sim.gateway.createCheckoutSession(session("o-soon", shopAccount, tooSoon),
        "storefront-checkout-o-soon").await())
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.details().getString("param")).isEqualTo("expires_at");
        });
  }

  @Test
  void idempotencyKeysReplayAndRefuseDifferentParams() {
    // One params object for both calls, as a real retry sends it: built twice, the two expiries could straddle a
    // second and Stripe would (rightly) call the replay a different request.
    SessionCreateParams params = session("o-idem", shopAccount, in31Minutes());
    Session first = sim.gateway.createCheckoutSession(params, "storefront-checkout-o-idem").await();
    Session replay = sim.gateway.createCheckoutSession(params, "storefront-checkout-o-idem").await();
    assertThat(replay.getId()).isEqualTo(first.getId());
    assertThatThrownBy(() -> sim.gateway.createCheckoutSession(session("o-other", shopAccount, in31Minutes()),
        "storefront-checkout-o-idem").await())
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.status()).isEqualTo(409);
          assertThat(e.code()).isEqualTo("payment_idempotency_conflict");
        });
    assertThatThrownBy(() -> sim.gateway.createCheckoutSession(session("o-3", shopAccount, in31Minutes()),
        "tot-checkout-o-3").await())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("storefront-");
  }
}
