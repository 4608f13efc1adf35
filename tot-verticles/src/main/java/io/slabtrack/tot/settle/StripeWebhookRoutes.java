package io.slabtrack.tot.settle;

import com.stripe.model.PaymentIntent;
import io.slabtrack.cluster.http.Responses;
import io.slabtrack.cluster.salelock.SaleLocks;
import io.slabtrack.cluster.settlement.StripeEventFlow;
import io.slabtrack.cluster.stripe.StripeGateway;
import io.slabtrack.cluster.stripe.StripeWebhookVerifier;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/stripe/webhook}: signature first (400), then the event id recorded once in the same transaction
 * as its effect; events for other apps or types we don't act on get a 2xx. Effects are decided from the play's
 * state, never from arrival order: a late "authorized" after a "canceled" finds the play VOID and does nothing.
 * A play paid on a hosted Checkout page is authorized by {@code checkout.session.completed} or by its
 * PaymentIntent's {@code amount_capturable_updated}, whichever comes first (both name the play in their metadata);
 * either records the PaymentIntent on the play, and the play's state makes the second one a no-op.
 */
public final class StripeWebhookRoutes {
  public static final String PATH = "/api/stripe/webhook";
  /** The event types {@link #apply} acts on (others are acknowledged and ignored). */
  public static final List<String> HANDLED_TYPES = List.of("checkout.session.completed", "checkout.session.expired",
      "payment_intent.amount_capturable_updated", "payment_intent.canceled", "payment_intent.payment_failed", "charge.refunded", "charge.dispute.created",
      "charge.dispute.updated", "charge.dispute.closed");
  private static final Logger LOG = LoggerFactory.getLogger(StripeWebhookRoutes.class);

  private final Settlement settlement;
  private final SaleLocks locks;
  private final StripeGateway stripe;
  private final StripeEventFlow<String> flow;

  public StripeWebhookRoutes(Pool pool, StripeWebhookVerifier verifier, Settlement settlement, SaleLocks locks,
                             StripeGateway stripe) {
    this.stripe = stripe;
    this.settlement = settlement;
    this.locks = locks;
    this.flow = new StripeEventFlow<>(pool, verifier, new StripeEventFlow.Policy<>() {
      @Override
      public Future<String> lookup(JsonObject event) {
        return currentIntentStatus(event);
      }

      @Override
      public Future<StripeEventFlow.Applied> apply(SqlConnection tx, JsonObject event, String currentStatus) {
        return StripeWebhookRoutes.this.apply(tx, event, currentStatus)
            .map(after -> StripeEventFlow.Applied.of("applied").then(() -> after.run(StripeWebhookRoutes.this.locks)));
      }
    });
  }

  public void mount(Router router) {
    router.post(PATH).handler(this::receive);
  }

  private void receive(RoutingContext ctx) {
    JsonObject event = flow.verify(ctx.body().asString(), ctx.request().getHeader("Stripe-Signature"));
    process(event)
        .compose(x -> Responses.ok(ctx, new JsonObject().put("received", true)))
        .onFailure(t -> {
          LOG.warn("stripe event {} {} not applied now (Stripe retries): {}", event.getString("id"),
              event.getString("type"), t.toString());
          ctx.fail(t);
        });
  }

  /**
   * Applies one verified Stripe event: the webhook's whole path after the signature check ({@link StripeEventFlow}:
   * the PaymentIntent's current status read first, then the inbox and the play's transition in one transaction, then
   * the released locks). The reconciler's heal goes through here too ({@link #heal}), so a lost event settles a play
   * exactly as its delivery would have, and is recorded in the inbox so a late delivery is a no-op.
   *
   * @return true if the event was applied now, false if the inbox already had it (nothing done)
   */
  public Future<Boolean> process(JsonObject event) {
    return flow.process(event).map(outcome -> !StripeEventFlow.REPLAY.equals(outcome));
  }

  /** The reconciler's heal of lost events: each through {@link #process}, oldest first. */
  public Future<List<StripeEventFlow.Healed>> heal(List<JsonObject> oldestFirst) {
    return flow.heal(oldestFirst);
  }

  /**
   * An "authorized" event may arrive after the authorization was cancelled: the event's snapshot is stale, so the
   * PaymentIntent's status now decides (read before the transaction, never holding a connection over the network).
   */
  private Future<String> currentIntentStatus(JsonObject event) {
    JsonObject object = event.getJsonObject("data", new JsonObject()).getJsonObject("object", new JsonObject());
    boolean ours = object.getJsonObject("metadata", new JsonObject()).getString("playId") != null;
    String intent = authorizedIntent(event.getString("type", ""), object);
    if (!ours || intent == null) {
      return Future.succeededFuture(null);
    }
    return stripe.retrievePaymentIntent(intent).map(PaymentIntent::getStatus);
  }

  /** The PaymentIntent an "authorized" event is about: the intent itself, or a completed session's. */
  private static String authorizedIntent(String type, JsonObject object) {
    return switch (type) {
      case "payment_intent.amount_capturable_updated" -> object.getString("id");
      case "checkout.session.completed" -> object.getValue("payment_intent") instanceof String id ? id : null;
      default -> null;
    };
  }

  private Future<Settlement.After> apply(SqlConnection tx, JsonObject event, String currentStatus) {
    JsonObject object = event.getJsonObject("data", new JsonObject()).getJsonObject("object", new JsonObject());
    String playId = object.getJsonObject("metadata", new JsonObject()).getString("playId");
    String type = event.getString("type", "");
    return switch (type) {
      case "charge.refunded" -> settlement.refunded(tx, object).map(Settlement.After.NONE);
      case "charge.dispute.created", "charge.dispute.closed", "charge.dispute.updated" ->
          settlement.dispute(tx, type, object).map(Settlement.After.NONE);
      default -> playId == null ? none() : onPlay(tx, type, object, playId, currentStatus);
    };
  }

  /** Payment events of a play (its id in their metadata); a checkout play's PaymentIntent is recorded first. */
  private Future<Settlement.After> onPlay(SqlConnection tx, String type, JsonObject object, String playId,
                                          String currentStatus) {
    String intent = type.startsWith("payment_intent.") ? object.getString("id") : authorizedIntent(type, object);
    return settlement.recordIntent(tx, playId, intent).compose(x -> switch (type) {
      case "payment_intent.amount_capturable_updated", "checkout.session.completed" ->
          "requires_capture".equals(currentStatus) ? settlement.authorized(tx, playId)
          : "canceled".equals(currentStatus) ? settlement.canceled(tx, playId) : none();
      case "payment_intent.canceled", "checkout.session.expired" -> settlement.canceled(tx, playId);
      case "payment_intent.payment_failed" -> settlement.paymentFailed(tx, playId, object).map(Settlement.After.NONE);
      default -> none();
    });
  }

  private static Future<Settlement.After> none() {
    return Future.succeededFuture(Settlement.After.NONE);
  }
}
