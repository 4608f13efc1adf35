package io.slabtrack.cluster.settlement;

import io.slabtrack.cluster.salelock.SaleClaim;
import io.slabtrack.cluster.stripe.Captures;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;

/**
 * What one app's sale is, for {@link ClaimSettlement}: how to find it, what it charges, and what each ending writes
 * in the app's own tables (state, ledger event, buyer mail). The mechanism (Stripe first, holding no connection;
 * then the state under a row lock; the cards given back to core when the sale can't complete) is not the app's.
 *
 * @param <S> the app's sale (a Storefront order, a ToT play's order)
 */
public interface SalePolicy<S> {
  /** Where a sale stands for core's answer. */
  enum Stage {
    /** The claim is out and nothing decided yet: the answer settles it. */
    AWAITING_ANSWER,
    /** Cancelled before the answer (the buyer, an expiry): a won answer gives the cards back to core. */
    CANCELLED,
    /** Decided already (an earlier delivery of the same answer): nothing to do. */
    DECIDED
  }

  /** The claim's sale, read without a lock (before the Stripe call); null if unknown here. */
  Future<S> read(SqlClient db, SaleClaim claim);

  /** The same under a row lock, in the transaction that applies the answer; null if unknown here. */
  Future<S> lock(SqlConnection tx, SaleClaim claim);

  Stage stage(S sale);

  /** The app's id of what owns the PaymentIntent: the Stripe idempotency keys' suffix ({@link SaleTerms#key}). */
  String saleRef(S sale);

  /** null while none is known (nothing authorized yet). */
  String paymentIntentId(S sale);

  /** What to capture on a won claim; null: the whole authorization. */
  Long amountToCapture(S sale);

  /** Won and captured: the sale is paid (state, ledger, durable buyer mail), in {@code tx}. */
  Future<Void> paid(SqlConnection tx, S sale, Captures.Outcome capture);

  /**
   * Won, but the authorization is gone (lapsed, cancelled): nothing can be charged. The app records it; the
   * mechanism then gives the cards back to core.
   */
  Future<Void> captureFailed(SqlConnection tx, S sale);

  /** Lost (sold elsewhere); the authorization is cancelled already: the sale ends unpaid. */
  Future<Void> lost(SqlConnection tx, S sale);
}
