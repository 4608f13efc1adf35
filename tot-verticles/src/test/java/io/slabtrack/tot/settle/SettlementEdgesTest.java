package io.slabtrack.tot.settle;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.stripe.model.PaymentIntent;
import io.slabtrack.tot.PaidPlays;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Core down at settlement (AWAITING_CONFIRMATION until it answers), webhooks replayed and reordered, and the
 * buyer's receipt mail with its private link.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // core starts down: the core-down test must run first
class SettlementEdgesTest {
  private static GreenMail smtp;
  private static PaidPlays plays;

  @BeforeAll
  static void start() throws Exception {
    smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    smtp.start();
    plays = new PaidPlays(9_000, Map.of("SMTP_HOST", "127.0.0.1", "SMTP_PORT",
        String.valueOf(smtp.getSmtp().getPort()), "SMTP_FROM", "ThisOrThat <orders@slabtrack.test>",
        "TOT_PUBLIC_URL", "https://tot.example"), false);
  }

  @AfterAll
  static void stop() throws Exception {
    plays.close();
    smtp.stop();
  }

  @Test
  @Order(1)
  void coreDownLeavesThePlayAwaitingThenItSettlesAndTheBuyerGetsAReceipt() throws Exception {
    String playId = plays.commit("flip", plays.single(5_000));
    plays.authorize(playId);
    PaidPlays.await("awaiting confirmation", () -> plays.playStatus(playId).equals("AWAITING_CONFIRMATION"));
    Thread.sleep(500); // several relay rounds without an answer: nothing captured meanwhile
    PaymentIntent held = plays.sim.client.v1().paymentIntents().retrieve(plays.paymentIntent(playId));
    assertThat(held.getStatus()).isEqualTo("requires_capture");

    plays.coreUpOnce();
    PaidPlays.await("settled once core answers", () -> plays.playStatus(playId).equals("SETTLED"));
    String orderId = plays.tot.sql("SELECT id FROM orders WHERE play_id = $1", playId).iterator().next().getString(0);
    String token = plays.tot.sql("SELECT status_token FROM orders WHERE id = $1", orderId).iterator().next()
        .getString(0);
    PaidPlays.await("receipt", () -> smtp.getReceivedMessages().length > 0);
    String body = GreenMailUtil.getBody(smtp.getReceivedMessages()[0]);
    assertThat(body).contains("https://tot.example/orders/" + orderId + "?token=" + token);
    assertThat(body).as("the play's web page, not its JSON").contains("https://tot.example/play/" + playId)
        .doesNotContain("/api/play/");
    assertThat(GreenMailUtil.getAddressList(smtp.getReceivedMessages()[0].getAllRecipients()))
        .contains("buyer@example.com");
  }

  @Test
  void aWonClaimWhoseCaptureFailsGivesTheCardsBackToCore() throws Exception {
    AuthorizedPlay play = authorizedWhileCoreDecides(6_000);
    String playId = play.id();
    String pi = play.paymentIntent();
    long card = play.card();
    plays.sim.control("/_sim/expire-authorization/" + pi, new JsonObject()); // lapses while core decides
    plays.deferClaims.remove(card);
    PaidPlays.await("capture failed", () -> plays.orderStatus(playId).equals("capture_failed"));
    assertThat(plays.playStatus(playId)).isEqualTo("FAILED");
    PaidPlays.await("claim released", () -> plays.releases.stream()
        .anyMatch(r -> r.getString("claimId").equals("tot-claim-" + playId)
            && r.getString("reason").equals("capture_failed")));
    assertThat(plays.sim.client.v1().paymentIntents().retrieve(pi).getAmountReceived()).isZero();
  }

  @Test
  void aWonClaimWhoseCaptureStripeHadAlreadyDoneIsPaidNotReleased() throws Exception {
    AuthorizedPlay play = authorizedWhileCoreDecides(6_500);
    String playId = play.id();
    String pi = play.paymentIntent();
    long card = play.card();
    long outcome = plays.tot.sql("SELECT outcome_amount FROM plays WHERE id = $1", playId).iterator().next()
        .getLong(0);
    // captured at Stripe under another key (the dashboard, a retry past the key's 24 hours): ours answers 400
    plays.sim.client.v1().paymentIntents().capture(pi, com.stripe.param.PaymentIntentCaptureParams.builder()
        .setAmountToCapture(outcome).build());
    plays.deferClaims.remove(card);
    PaidPlays.await("paid", () -> plays.orderStatus(playId).equals("paid"));
    assertThat(plays.playStatus(playId)).isEqualTo("SETTLED");
    assertThat(plays.tot.sql("SELECT captured_cents FROM orders WHERE play_id = $1", playId).iterator().next()
        .getLong(0)).isEqualTo(outcome);
    Thread.sleep(300); // a release would have gone out with the same transaction
    assertThat(plays.releases).noneMatch(r -> r.getString("claimId").equals("tot-claim-" + playId));
  }

  @Test
  void replayedAndReversedWebhooksSettleOnce() throws Exception {
    String playId = plays.commit("flip", plays.single(4_000));
    plays.sim.control("/_sim/webhooks/hold", new JsonObject());
    plays.authorize(playId);
    plays.sim.control("/_sim/webhooks/release", new JsonObject().put("reversed", true));
    PaidPlays.await("settled", () -> plays.playStatus(playId).equals("SETTLED"));
    String pi = plays.paymentIntent(playId);
    List<JsonObject> capturable = plays.sim.gateway.listEvents(com.stripe.param.EventListParams.builder()
        .setType("payment_intent.amount_capturable_updated").setLimit(100L).build()).await().getJsonArray("data")
        .stream().map(e -> (JsonObject) e)
        .filter(e -> pi.equals(e.getJsonObject("data").getJsonObject("object").getString("id"))).toList();
    assertThat(capturable).hasSize(1);
    plays.sim.control("/_sim/events/" + capturable.get(0).getString("id") + "/redeliver",
        new JsonObject().put("times", 3));
    Thread.sleep(500);
    assertThat(plays.tot.count("SELECT count(*) FROM orders WHERE play_id = $1", playId)).isEqualTo(1);
    long outcome = plays.tot.sql("SELECT outcome_amount FROM plays WHERE id = $1", playId).iterator().next()
        .getLong(0);
    assertThat(plays.sim.client.v1().paymentIntents().retrieve(pi).getAmountReceived()).isEqualTo(outcome);
  }

  @Test
  void anAuthorizationCanceledBeforeItsAuthorizedEventArrivesVoidsThePlay() throws Exception {
    String playId = plays.commit("flip", plays.single(4_500));
    String pi = plays.paymentIntent(playId);
    plays.sim.control("/_sim/webhooks/hold", new JsonObject());
    plays.authorize(playId);
    plays.sim.control("/_sim/expire-authorization/" + pi, new JsonObject());
    plays.sim.control("/_sim/webhooks/release", new JsonObject().put("reversed", true));
    PaidPlays.await("void", () -> plays.playStatus(playId).equals("VOID"));
    Thread.sleep(500); // the late "authorized" event must not revive it
    assertThat(plays.playStatus(playId)).isEqualTo("VOID");
    assertThat(plays.tot.count("SELECT count(*) FROM orders WHERE play_id = $1", playId)).isZero();
    assertThat(plays.sim.client.v1().paymentIntents().retrieve(pi).getAmountReceived()).isZero();
  }

  /** A single's flip, authorized, whose claim core holds back (the card is in deferClaims) until the test lets go. */
  private AuthorizedPlay authorizedWhileCoreDecides(long price) throws Exception {
    plays.coreUpOnce();
    long listing = plays.single(price);
    long card = plays.tot.sql("SELECT card_id FROM listing_cards WHERE listing_id = $1", listing).iterator().next()
        .getLong(0);
    plays.deferClaims.add(card);
    String playId = plays.commit("flip", listing);
    String pi = plays.paymentIntent(playId);
    plays.authorize(playId);
    PaidPlays.await("claim pending", () -> plays.playStatus(playId).equals("AWAITING_CONFIRMATION"));
    return new AuthorizedPlay(playId, pi, card);
  }

  private record AuthorizedPlay(String id, String paymentIntent, long card) {
  }
}
