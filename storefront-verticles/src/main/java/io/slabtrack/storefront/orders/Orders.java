package io.slabtrack.storefront.orders;

import io.slabtrack.cluster.app.AppContext;
import io.slabtrack.cluster.mail.MailSettings;
import io.slabtrack.cluster.mail.Mailer;
import io.slabtrack.cluster.salelock.ClaimCompletion;
import io.slabtrack.storefront.connect.StorefrontStripe;
import io.vertx.core.Future;

/** The orders feature's parts, built once per app in {@code configure}. */
public record Orders(StorefrontStripe stripe, Checkout checkout, Settlement settlement, Confirmations confirmations,
                     StripeWebhook webhook) {

  /** Builds the parts and registers the claim-answer handler (before the outbox relay starts). */
  public static Orders configure(AppContext ctx, StorefrontStripe stripe) {
    Mailer mailer = Mailer.create(ctx.vertx(), MailSettings.from(ctx.config().settings()), ctx.config().mode(),
        "storefront order confirmations");
    Confirmations confirmations = new Confirmations(mailer, stripe.publicUrl());
    Settlement settlement = new Settlement(ctx.saleLocks());
    ClaimCompletion.register(ctx.replyHandlers(), ctx.saleLocks(), new ClaimAnswers(ctx.pool(), stripe.gateway(),
        confirmations));
    return new Orders(stripe, new Checkout(ctx.vertx(), ctx.pool(), ctx.saleLocks(), stripe), settlement,
        confirmations, new StripeWebhook(ctx.pool(), stripe.platform(), settlement));
  }

  public Future<String> deploy(AppContext ctx) {
    return ctx.vertx().deployVerticle(new OrdersVerticle(ctx.pool(), stripe.gateway(), settlement, confirmations));
  }
}
