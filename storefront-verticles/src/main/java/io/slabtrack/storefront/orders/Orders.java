package io.slabtrack.storefront.orders;

import io.slabtrack.cluster.app.AppContext;
import io.slabtrack.cluster.mail.MailSettings;
import io.slabtrack.cluster.mail.Mailer;
import io.slabtrack.cluster.salelock.ClaimCompletion;
import io.slabtrack.storefront.connect.StorefrontStripe;
import io.vertx.core.Future;

/** The orders feature's parts, built once per app in {@code configure}. */
public record Orders(StorefrontStripe stripe, Checkout checkout, Settlement settlement, Confirmations confirmations,
                     StripeWebhook webhook, CheckoutCancel cancels) {

  /** Builds the parts and registers the claim-answer handler (before the outbox relay starts). */
  public static Orders configure(AppContext ctx, StorefrontStripe stripe) {
    Mailer mailer = Mailer.create(ctx.vertx(), MailSettings.from(ctx.config().settings()), ctx.config().mode(),
        "storefront order confirmations");
    Confirmations confirmations = new Confirmations(mailer, stripe.publicUrl());
    Settlement settlement = new Settlement(ctx.saleLocks());
    ClaimCompletion.register(ctx.replyHandlers(), ctx.saleLocks(), new ClaimAnswers(stripe.gateway(), confirmations));
    Checkout checkout = new Checkout(ctx.vertx(), ctx.pool(), ctx.saleLocks(), stripe);
    return new Orders(stripe, checkout, settlement, confirmations,
        new StripeWebhook(ctx.pool(), stripe.platform(), settlement),
        new CheckoutCancel(ctx.pool(), stripe.gateway(), checkout, settlement));
  }

  public Future<String> deploy(AppContext ctx) {
    return ctx.vertx().deployVerticle(new OrdersVerticle(ctx.pool(), stripe.gateway(), settlement, confirmations));
  }
}
