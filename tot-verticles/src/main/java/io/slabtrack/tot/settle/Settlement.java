package io.slabtrack.tot.settle;

import io.slabtrack.cluster.logging.Correlation;
import io.slabtrack.cluster.metrics.PurchaseMetrics;
import io.slabtrack.cluster.settlement.Authorizations;
import io.slabtrack.cluster.settlement.ClaimSettlement;
import io.slabtrack.cluster.settlement.SalePolicy;
import io.slabtrack.cluster.settlement.SaleTerms;
import io.slabtrack.cluster.salelock.ClaimCompletion;
import io.slabtrack.cluster.salelock.SaleClaim;
import io.slabtrack.cluster.salelock.SaleLocks;
import io.slabtrack.cluster.stripe.Captures;
import io.slabtrack.cluster.stripe.StripeGateway;
import io.slabtrack.tot.fairness.SeedVault;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * From an authorized payment to a sale: reveal the outcome, claim the cards sold from core, then capture (won) or
 * cancel (lost). Every step is keyed by the play, so replays and redeliveries change nothing twice.
 */
public final class Settlement {
  private static final Logger LOG = LoggerFactory.getLogger(Settlement.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Pool pool;
  private final SaleLocks locks;
  private final StripeGateway stripe;
  private final SeedVault vault;
  private final Receipts receipts;
  private final PurchaseMetrics metrics;

  public Settlement(Pool pool, SaleLocks locks, StripeGateway stripe, SeedVault vault, Receipts receipts,
                    PurchaseMetrics metrics) {
    this.pool = pool;
    this.metrics = metrics;
    this.locks = locks;
    this.stripe = stripe;
    this.vault = vault;
    this.receipts = receipts;
  }

  /** Work to do once the webhook's transaction committed: hand back the locks of cards that stay listed. */
  public record After(String lockRef, List<Long> releaseCards) {
    static final After NONE = new After(null, List.of());

    public Future<Void> run(SaleLocks locks) {
      if (lockRef == null || releaseCards.isEmpty()) {
        return Future.succeededFuture();
      }
      return locks.release(lockRef, releaseCards).<Void>mapEmpty().recover(e -> {
        LOG.warn("locks of {} not released now ({}); they expire on their own", lockRef, e.toString());
        return Future.succeededFuture();
      });
    }
  }

  /** Authorization reached {@code requires_capture}: reveal and claim. */
  public Future<After> authorized(SqlConnection tx, String playId) {
    return tx.preparedQuery(SettleSql.PLAY_FOR_UPDATE).execute(Tuple.of(playId)).compose(rows -> {
      if (rows.rowCount() == 0 || !rows.iterator().next().getString("status").equals("COMMITTED")) {
        return Future.succeededFuture(After.NONE); // settled already, voided, or not ours
      }
      Row p = rows.iterator().next();
      Reveal r = Reveal.of(p.getString("game"), vault.open(p.getString("server_seed_sealed"), playId),
          p.getString("client_seed"), playId, (JsonArray) p.getValue("options"), orZero(p.getLong("win_price")),
          orZero(p.getLong("lose_price")), orZero(p.getLong("pull_price")));
      String orderId = "ord_" + token();
      Correlation.put(Correlation.PLAY_ID, playId);
      String claimId = "tot-claim-" + playId;
      SaleClaim claim = new SaleClaim(claimId, "thisorthat", orderId, p.getString("lock_ref"), r.soldCards(),
          r.amount(), Instant.now().plus(SaleTerms.AUTH_VALIDITY));
      LOG.info("play revealed playId={} outcome={} amount={} sold={} orderId={}", playId, r.outcome(), r.amount(),
          r.soldCards(), orderId);
      return tx.preparedQuery(SettleSql.REVEAL).execute(Tuple.from(new Object[] {playId, r.clientSeed(),
              r.clientSeedDefaulted(), r.outcomeBytesHex(), r.outcome(), r.winnerListingId(), r.amount()}))
          .compose(x -> tx.preparedQuery(SettleSql.INSERT_ORDER).execute(Tuple.from(new Object[] {orderId, playId,
              claimId, r.soldCards().toArray(new Long[0]), r.amount(), p.getString("email"),
              p.getValue("shipping_address"), token(), p.getString("payment_intent_id")})))
          .compose(x -> new ClaimCompletion(locks).complete(tx, claim))
          .map(x -> new After(p.getString("lock_ref"), r.releasedCards()));
    });
  }

  /**
   * A checkout play's PaymentIntent, learnt from an event: recorded before anything that reads it (the order, the
   * capture), in the event's transaction. A no-op for Elements plays and once known.
   */
  public Future<Void> recordIntent(SqlConnection tx, String playId, String paymentIntentId) {
    if (paymentIntentId == null) {
      return Future.succeededFuture();
    }
    return tx.preparedQuery(SettleSql.RECORD_INTENT).execute(Tuple.of(playId, paymentIntentId)).mapEmpty();
  }

  /** {@code payment_intent.canceled} (ours, an expiry, Stripe's): final for a play not yet revealed. */
  public Future<After> canceled(SqlConnection tx, String playId) {
    return tx.preparedQuery(SettleSql.PLAY_FOR_UPDATE).execute(Tuple.of(playId)).compose(rows -> {
      if (rows.rowCount() == 0 || !rows.iterator().next().getString("status").equals("COMMITTED")) {
        return Future.succeededFuture(After.NONE); // a revealed play waits for core's answer, which decides
      }
      Row p = rows.iterator().next();
      LOG.info("play void (payment canceled) playId={}", playId);
      return tx.preparedQuery(SettleSql.SET_PLAY_STATUS).execute(Tuple.of(playId, "VOID"))
          .onSuccess(x -> metrics.settled(PurchaseMetrics.PLAY, "payment_canceled"))
          .map(x -> new After(p.getString("lock_ref"), List.of(p.getArrayOfLongs("card_ids"))));
    });
  }

  /**
   * A lock expired: an unpaid play's authorization is cancelled (the canceled event then voids it), or its Checkout
   * Session expired so the buyer can no longer pay for cards we no longer hold. Called with the pool, not a
   * transaction: the Stripe call must hold no connection. Reading without a row lock is enough because the call is
   * keyed by the play (a repeat is Stripe's replay) and decides nothing here: the webhook voids the play under its
   * lock (and {@link #lockExpiryRecorded} for an expired session), and an authorization that raced it is sorted out
   * by the webhook's check of the PaymentIntent's current status.
   */
  public Future<JsonObject> lockExpired(SqlClient db, JsonObject notice) {
    return db.preparedQuery(SettleSql.PLAY_BY_LOCK_REF).execute(Tuple.of(notice.getString("lockRef", "")))
        .compose(rows -> {
          if (rows.rowCount() == 0 || !rows.iterator().next().getString("status").equals("COMMITTED")) {
            return Future.succeededFuture(new JsonObject().put("canceled", false));
          }
          Row p = rows.iterator().next();
          String playId = p.getString("id");
          if (hosted(p)) {
            LOG.info("play {}: sale-lock expired before payment; expiring its checkout session", playId);
            // paid meanwhile (the session completed): the payment's events settle it, core's claim decides
            return closeSession(playId, p.getString("checkout_session_id")).map(expired -> new JsonObject()
                .put("canceled", expired).put("playId", playId).put("sessionExpired", expired));
          }
          return cancel(playId, p.getString("payment_intent_id"))
              .map(x -> new JsonObject().put("canceled", true).put("playId", playId));
        });
  }

  /**
   * In the expiry inbox's transaction: a play whose session we expired is voided now (its
   * {@code checkout.session.expired} event then finds it VOID), so a lost webhook can't leave it COMMITTED. Its
   * locks ran out already: nothing to release.
   */
  public Future<JsonObject> lockExpiryRecorded(SqlConnection tx, JsonObject answer) {
    if (!answer.getBoolean("sessionExpired", false)) {
      return Future.succeededFuture(answer);
    }
    return canceled(tx, answer.getString("playId")).map(answer);
  }

  /** Whether the play pays on a hosted Checkout page (else with a PaymentIntent the client confirms). */
  static boolean hosted(Row play) {
    return "checkout".equals(play.getString("payment_mode"));
  }

  /**
   * Expires a checkout play's session (keyed by the play, so every caller's expire is one).
   *
   * @return true if the session is expired (now or before), false if the buyer completed it (paid)
   */
  Future<Boolean> closeSession(String playId, String sessionId) {
    return Authorizations.expireSession(stripe, sessionId, playId);
  }

  /**
   * ToT's sale for the shared claim-answer mechanism ({@link ClaimSettlement}): a revealed play's order, keyed at
   * Stripe by the play, capturing the outcome's amount (less than or equal to the authorization).
   */
  public ClaimSettlement<Row> claimAnswers() {
    return new ClaimSettlement<>(pool, stripe, new SalePolicy<>() {
      @Override
      public Future<Row> read(SqlClient db, SaleClaim claim) {
        return db.preparedQuery(SettleSql.ORDER_BY_CLAIM_READ).execute(Tuple.of(claim.claimId()))
            .map(rows -> rows.rowCount() == 0 ? null : rows.iterator().next());
      }

      @Override
      public Future<Row> lock(SqlConnection tx, SaleClaim claim) {
        return tx.preparedQuery(SettleSql.ORDER_BY_CLAIM).execute(Tuple.of(claim.claimId()))
            .map(rows -> rows.rowCount() == 0 ? null : rows.iterator().next());
      }

      @Override
      public Stage stage(Row order) {
        // a ToT order exists only once its play is revealed, and leaves awaiting_confirmation only by the answer
        return "awaiting_confirmation".equals(order.getString("status")) ? Stage.AWAITING_ANSWER : Stage.DECIDED;
      }

      @Override
      public String saleRef(Row order) {
        return order.getString("play_id");
      }

      @Override
      public String paymentIntentId(Row order) {
        return order.getString("payment_intent_id");
      }

      @Override
      public Long amountToCapture(Row order) {
        return order.getLong("amount");
      }

      @Override
      public Future<Void> paid(SqlConnection tx, Row order, Captures.Outcome capture) {
        return Settlement.this.paid(tx, order, capture);
      }

      @Override
      public Future<Void> captureFailed(SqlConnection tx, Row order) {
        return Settlement.this.captureFailed(tx, order);
      }

      @Override
      public Future<Void> lost(SqlConnection tx, Row order) {
        return Settlement.this.lost(tx, order);
      }
    });
  }

  private Future<Void> paid(SqlConnection tx, Row o, Captures.Outcome outcome) {
    String orderId = o.getString("id");
    String playId = o.getString("play_id");
    long amount = o.getLong("amount");
    long captured = outcome.capturedCents(amount);
    List<Long> cards = List.of(o.getArrayOfLongs("card_ids"));
    Long[] soldListings = o.getString("game").equals("PULL") ? new Long[] {o.getLong("winner_listing_id")}
        : o.getArrayOfLongs("listing_ids");
    return tx.preparedQuery(SettleSql.ORDER_PAID).execute(Tuple.of(orderId, captured, outcome.chargeId()))
        .compose(x -> tx.preparedQuery(SettleSql.SET_PLAY_STATUS).execute(Tuple.of(playId, "SETTLED")))
        .compose(x -> tx.preparedQuery(SettleSql.COMPLETE_LISTINGS).execute(Tuple.of((Object) soldListings)))
        .compose(x -> OrderLedgerEvents.send(tx, orderId, "paid", amount, captured, null, cards,
            outcome.paymentIntentId()))
        .compose(x -> receipts.enqueue(tx, o, captured))
        .onSuccess(x -> {
          LOG.info("order paid orderId={} playId={} captured={}", orderId, playId, captured);
          metrics.settled(PurchaseMetrics.PLAY, "paid");
        });
  }

  /** The authorization is gone (expired, canceled): nothing can be charged; the mechanism gives the cards back. */
  private Future<Void> captureFailed(SqlConnection tx, Row o) {
    String orderId = o.getString("id");
    String playId = o.getString("play_id");
    LOG.warn("capture impossible orderId={} playId={}: the PaymentIntent is canceled; releasing the claim", orderId,
        playId);
    return tx.preparedQuery(SettleSql.ORDER_STATUS).execute(Tuple.of(orderId, "capture_failed"))
        .compose(x -> tx.preparedQuery(SettleSql.SET_PLAY_STATUS).execute(Tuple.of(playId, "FAILED")))
        .<Void>mapEmpty()
        .onSuccess(x -> metrics.settled(PurchaseMetrics.PLAY, "capture_failed"));
  }

  private Future<Void> lost(SqlConnection tx, Row o) {
    String orderId = o.getString("id");
    String playId = o.getString("play_id");
    return tx.preparedQuery(SettleSql.ORDER_STATUS).execute(Tuple.of(orderId, "cancelled"))
        .compose(x -> tx.preparedQuery(SettleSql.SET_PLAY_STATUS).execute(Tuple.of(playId, "VOID")))
        .compose(x -> OrderLedgerEvents.send(tx, orderId, "cancelled", o.getLong("amount"), null, null,
            List.of(o.getArrayOfLongs("card_ids")), o.getString("payment_intent_id")))
        .onSuccess(x -> metrics.settled(PurchaseMetrics.PLAY, "sold_elsewhere"));
  }

  /** Cancels the play's authorization at Stripe (keyed by the play, so every caller's cancel is one). */
  Future<Void> cancel(String playId, String paymentIntentId) {
    return Authorizations.cancel(stripe, paymentIntentId, playId);
  }

  /** {@code payment_intent.payment_failed}: not final (the buyer may retry), counted for the operator. */
  public Future<Void> paymentFailed(SqlConnection tx, String playId, JsonObject intent) {
    JsonObject error = intent.getJsonObject("last_payment_error", new JsonObject());
    String message = error.getString("code", error.getString("message", "payment_failed"));
    return tx.preparedQuery(SettleSql.PAYMENT_FAILED).execute(Tuple.of(playId, message)).mapEmpty();
  }

  /**
   * {@code charge.refunded}: the card stays sold; the order's total is the charge's cumulative {@code amount_refunded}
   * unless the refunds we recorded say more ({@link RefundTotals}), so the operator's refund counts once.
   */
  public Future<Void> refunded(SqlConnection tx, JsonObject charge) {
    return orderOf(tx, charge.getString("payment_intent")).compose(o -> o == null ? Future.succeededFuture()
        : RefundTotals.apply(tx, o, charge.getLong("amount_captured", o.getLong("captured_cents")),
            charge.getLong("amount_refunded", 0L), latestRefund(charge), charge.getString("id")).mapEmpty());
  }

  /** The charge's newest refund: Stripe lists a charge's refunds newest first. */
  private static String latestRefund(JsonObject charge) {
    JsonObject list = charge.getJsonObject("refunds");
    io.vertx.core.json.JsonArray data = list == null ? null : list.getJsonArray("data");
    return data == null || data.isEmpty() ? null : data.getJsonObject(0).getString("id");
  }

  /** {@code charge.dispute.created} / {@code .closed}: disputed, with the deadline, then the outcome; logged. */
  public Future<Void> dispute(SqlConnection tx, String type, JsonObject dispute) {
    return orderOf(tx, dispute.getString("payment_intent")).compose(o -> {
      if (o == null) {
        return Future.succeededFuture();
      }
      JsonObject evidence = dispute.getJsonObject("evidence_details", new JsonObject());
      Long due = evidence.getLong("due_by");
      var dueBy = due == null ? null : Instant.ofEpochSecond(due).atOffset(java.time.ZoneOffset.UTC);
      return tx.preparedQuery(SettleSql.ORDER_DISPUTED).execute(Tuple.of(o.getString("id"),
              dispute.getString("status"), dueBy))
          .compose(x -> tx.preparedQuery(SettleSql.LOG_DISPUTE).execute(Tuple.from(new Object[] {o.getString("id"),
              dispute.getString("id"), type, dispute.getString("status"), dispute.getString("reason"),
              dispute.getLong("amount"), dueBy})))
          .compose(x -> OrderLedgerEvents.send(tx, o.getString("id"), "disputed", o.getLong("amount"), null, null,
              List.of(o.getArrayOfLongs("card_ids")), dispute.getString("id")));
    });
  }

  private static Future<Row> orderOf(SqlConnection tx, String paymentIntentId) {
    if (paymentIntentId == null) {
      return Future.succeededFuture();
    }
    return tx.preparedQuery(SettleSql.ORDER_BY_PI).execute(Tuple.of(paymentIntentId))
        .map(rows -> rows.rowCount() == 0 ? null : rows.iterator().next());
  }

  private static long orZero(Long v) {
    return v == null ? 0 : v;
  }

  private static String token() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
