package io.slabtrack.cluster.settlement;

import io.slabtrack.cluster.stripe.StripeEventInbox;
import io.slabtrack.cluster.stripe.StripeWebhookVerifier;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A Stripe event's path through a satellite, the same for both: signature ({@link #verify}, 400 and nothing changed
 * if bad), then any Stripe read the app needs ({@link Policy#lookup}, before the transaction: no connection is held
 * over the network), then one transaction recording the event id ({@link StripeEventInbox}: a replay changes nothing)
 * together with its effect ({@link Policy#apply}), then, after the commit, the effect's work outside the database
 * ({@link Applied#afterCommit}: sale-locks handed back). Slow work that must not be lost (core's claim, the ledger,
 * buyer mail) leaves through the outbox inside the transaction. A lost webhook the reconciler fetched from Stripe's
 * API takes the same path ({@link #heal}).
 *
 * @param <L> what {@link Policy#lookup} read
 */
public final class StripeEventFlow<L> {
  /** The outcome of an event the inbox had already: nothing done. */
  public static final String REPLAY = "replay";

  /** The app's part: what an event means for its sales. */
  public interface Policy<L> {
    /** Before the transaction: a Stripe read the effect depends on (an event's snapshot may be stale). */
    default Future<L> lookup(JsonObject event) {
      return Future.succeededFuture();
    }

    /** In the event's transaction, the sale re-read under its row lock. */
    Future<Applied> apply(SqlConnection tx, JsonObject event, L lookup);
  }

  /**
   * @param outcome     what applying did ({@code authorized}, {@code cancelled}, {@code not_ours}, …)
   * @param afterCommit run once the transaction committed; never fails (what it does heals on its own)
   */
  public record Applied(String outcome, Supplier<Future<Void>> afterCommit) {
    public static Applied of(String outcome) {
      return new Applied(outcome, null);
    }

    public Applied then(Supplier<Future<Void>> work) {
      return new Applied(outcome, work);
    }
  }

  /** One lost event the reconciler applied (or tried to). */
  public record Healed(JsonObject event, String outcome, Throwable failure) {
    public boolean applied() {
      return failure == null && !REPLAY.equals(outcome);
    }
  }

  private final Pool pool;
  private final StripeWebhookVerifier verifier;
  private final Policy<L> policy;

  public StripeEventFlow(Pool pool, StripeWebhookVerifier verifier, Policy<L> policy) {
    this.pool = pool;
    this.verifier = verifier;
    this.policy = policy;
  }

  /** The signature check: the verified event, or a 400 {@code ApiException}. */
  public JsonObject verify(String body, String signature) {
    return verifier.verify(body, signature);
  }

  /** Everything after the signature check; {@link #REPLAY} if the inbox had the event. */
  public Future<String> process(JsonObject event) {
    return policy.lookup(event)
        .compose(lookup -> pool.withTransaction(tx -> StripeEventInbox.firstTime(tx, event)
            .compose(first -> first ? policy.apply(tx, event, lookup) : replay())))
        .compose(applied -> applied.afterCommit() == null ? Future.succeededFuture(applied.outcome())
            : applied.afterCommit().get().map(applied.outcome()));
  }

  private Future<Applied> replay() {
    verifier.duplicate();
    return Future.succeededFuture(Applied.of(REPLAY));
  }

  /**
   * The lost-webhook heal loop: each event applied through {@link #process}, oldest first (as Stripe would have
   * delivered them), one at a time; a failure is reported with its event and the loop goes on.
   */
  public Future<List<Healed>> heal(List<JsonObject> oldestFirst) {
    List<Healed> healed = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (JsonObject event : oldestFirst) {
      chain = chain.compose(x -> process(event).transform(ar -> {
        healed.add(new Healed(event, ar.succeeded() ? ar.result() : null, ar.failed() ? ar.cause() : null));
        return Future.<Void>succeededFuture();
      }));
    }
    return chain.map(healed);
  }
}
