package io.slabtrack.storefront.connect;

import io.slabtrack.cluster.app.AppContext;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.metrics.StripeMetrics;
import io.slabtrack.cluster.stripe.StripeGateway;
import io.slabtrack.cluster.stripe.StripeSettings;
import io.slabtrack.cluster.stripe.StripeWebhookVerifier;

/**
 * The Storefront's Stripe wiring from the node's settings (README: STRIPE_*, STOREFRONT_STRIPE_*): the gateway and
 * the two webhook verifiers (platform events, Connect events), plus the public base URL that Stripe sends people
 * back to ({@code STOREFRONT_PUBLIC_URL}, default this node's HTTP address).
 */
public record StorefrontStripe(StripeSettings settings, StripeGateway gateway, StripeWebhookVerifier platform,
                               StripeWebhookVerifier connect, String publicUrl) {

  public static StorefrontStripe load(AppContext ctx) {
    StripeSettings s = StripeSettings.load(ctx.config().settings(), ctx.config().mode());
    String publicUrl = ctx.config().settings().optional("STOREFRONT_PUBLIC_URL")
        .orElse("http://127.0.0.1:" + ctx.config().httpPort(AppName.STOREFRONT));
    StripeMetrics metrics = StripeMetrics.of(ctx.vertx(), AppName.STOREFRONT);
    return new StorefrontStripe(s, new StripeGateway(ctx.vertx(), s, AppName.STOREFRONT),
        new StripeWebhookVerifier("storefront platform", s.storefrontWebhookSecret()).countedBy(metrics),
        new StripeWebhookVerifier("storefront connect", s.storefrontConnectWebhookSecret()).countedBy(metrics),
        publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl);
  }
}
