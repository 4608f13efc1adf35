package io.slabtrack.storefront.orders;

import io.slabtrack.storefront.settle.Settlement;
import io.slabtrack.storefront.settle.StripeWebhook;
import io.slabtrack.storefront.settle.ClaimAnswers;
import io.slabtrack.storefront.settle.Confirmations;
import io.slabtrack.storefront.settle.OrderCancel;
import io.slabtrack.storefront.settle.OrdersVerticle;
import io.slabtrack.cluster.app.AppContext;
import io.slabtrack.cluster.http.ClientAddress;
import io.slabtrack.cluster.limits.BuyerLimitSettings;
import io.slabtrack.cluster.limits.BuyerLimits;
import io.slabtrack.cluster.limits.HoldSettler;
import io.slabtrack.cluster.mail.MailSettings;
import io.slabtrack.cluster.mail.Mailer;
import io.slabtrack.cluster.metrics.PurchaseMetrics;
import io.slabtrack.cluster.salelock.ClaimCompletion;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.settlement.ClaimSettlement;
import io.slabtrack.cluster.settlement.StrandedSaleSweeper;
import io.slabtrack.storefront.connect.StorefrontStripe;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/** The orders feature's parts, built once per app in {@code configure}. */
public record Orders(StorefrontStripe stripe, Checkout checkout, Settlement settlement, Confirmations confirmations,
                     StripeWebhook webhook, OrderCancel cancels, BuyerLimits limits) {

  /** Builds the parts and registers the claim-answer handler (before the outbox relay starts). */
  public static Orders configure(AppContext ctx, StorefrontStripe stripe) {
    Mailer mailer = Mailer.create(ctx.vertx(), MailSettings.from(ctx.config().settings()), ctx.config().mode(),
        "storefront order confirmations");
    Confirmations confirmations = new Confirmations(mailer, stripe.publicUrl());
    PurchaseMetrics purchases = PurchaseMetrics.of(ctx.vertx(), ctx.app());
    Settlement settlement = new Settlement(ctx.saleLocks(), purchases);
    ClaimCompletion.register(ctx.replyHandlers(), ctx.saleLocks(),
        new ClaimSettlement<>(ctx.pool(), stripe.gateway(), new ClaimAnswers(confirmations, purchases)));
    Checkout checkout = new Checkout(ctx.vertx(), ctx.pool(), ctx.saleLocks(), stripe, purchases);
    BuyerLimits limits = new BuyerLimits(ctx.pool(),
        BuyerLimitSettings.from(ctx.config().settings(), ctx.config().mode()),
        ClientAddress.fromSettings(ctx.config().settings()), OrderSql.STILL_PENDING,
        ctx.saleLocks().settings().defaultTtl(), "checkouts");
    return new Orders(stripe, checkout, settlement, confirmations,
        new StripeWebhook(ctx.pool(), stripe.platform(), settlement),
        new OrderCancel(ctx.pool(), stripe.gateway(), settlement, checkout), limits);
  }

  /**
   * A buyer's checkout, from the API or the checkout page: within the buyer limits (429 {@code rate_limited}
   * beyond them, nothing locked), then the order and its Checkout Session.
   *
   * @param key the request's Idempotency-Key (null: none)
   */
  public Future<Order> startCheckout(RoutingContext rc, String slug, CheckoutRequest req, String key) {
    return limits.guard(rc, req.email(), key == null ? null : slug + "\n" + key,
        client -> checkout.read(client, slug, req.cardIds()), (stock, hold) -> checkout.start(stock, req, key, hold));
  }

  public Future<String> deploy(AppContext ctx) {
    return Future.all(
        ctx.vertx().deployVerticle(new OrdersVerticle(ctx.pool(), stripe.gateway(), settlement, confirmations)),
        ctx.vertx().deployVerticle(new StrandedSaleSweeper(ctx.pool(), ctx.saleLocks(), AppName.STOREFRONT,
            "storefront", OrderSql.WAITING_FOR_PAYMENT)),
        ctx.vertx().deployVerticle(new HoldSettler(ctx.pool(), OrderSql.STILL_PENDING)))
        .map(all -> all.<String>resultAt(0));
  }
}
