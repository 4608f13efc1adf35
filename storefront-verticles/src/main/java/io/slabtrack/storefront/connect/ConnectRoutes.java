package io.slabtrack.storefront.connect;

import io.slabtrack.cluster.app.AppContext;
import io.slabtrack.cluster.auth.AuthHandlers;
import io.slabtrack.cluster.auth.VerifiedToken;
import io.slabtrack.cluster.http.Responses;
import io.slabtrack.cluster.stripe.StripeEventInbox;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stripe Connect Express: the owner's onboarding link, and the Connect webhook keeping each shop's
 * {@code chargesEnabled} current (checkout is refused until it is true).
 */
public final class ConnectRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectRoutes.class);
  private final Pool pool;
  private final StorefrontStripe stripe;
  private final StripeOnboarding onboarding;

  private ConnectRoutes(Pool pool, StorefrontStripe stripe, StripeOnboarding onboarding) {
    this.pool = pool;
    this.stripe = stripe;
    this.onboarding = onboarding;
  }

  public static void mount(Router router, AppContext ctx, StorefrontStripe stripe, StripeOnboarding onboarding) {
    ConnectRoutes routes = new ConnectRoutes(ctx.pool(), stripe, onboarding);
    router.post("/api/storefronts/:slug/stripe/onboarding").handler(ctx.auth().session()).handler(routes::onboarding);
    router.post("/api/stripe/connect/webhook").handler(routes::webhook);
  }

  /** The owner's onboarding link ({@link StripeOnboarding#link}); a repeated Idempotency-Key gets the same link. */
  private void onboarding(RoutingContext rc) {
    VerifiedToken who = AuthHandlers.principal(rc);
    String slug = rc.pathParam("slug");
    String linkKey = stripe.gateway().keyPrefix() + "account-link-" + slug + "-"
        + (rc.request().getHeader("Idempotency-Key") != null ? rc.request().getHeader("Idempotency-Key")
        : UUID.randomUUID().toString());
    onboarding.link(slug, who, linkKey).onSuccess(body -> Responses.ok(rc, body)).onFailure(rc::fail);
  }

  /** {@code account.updated} from connected accounts; every other type is acknowledged and ignored. */
  private void webhook(RoutingContext rc) {
    JsonObject event = stripe.connect().verify(rc.body().asString(), rc.request().getHeader("Stripe-Signature"));
    String type = event.getString("type");
    JsonObject object = event.getJsonObject("data", new JsonObject()).getJsonObject("object", new JsonObject());
    pool.withTransaction(tx -> StripeEventInbox.firstTime(tx, event).compose(first -> {
      if (!first) {
        stripe.connect().duplicate();
      }
      if (!first || !"account.updated".equals(type) || object.getString("id") == null) {
        return Future.succeededFuture(false);
      }
      return tx.preparedQuery(ConnectSql.SYNC_FLAGS).execute(Tuple.of(object.getString("id"),
              object.getBoolean("charges_enabled", false), object.getBoolean("details_submitted", false),
              event.getLong("created", Instant.now().getEpochSecond())))
          .map(rows -> {
            rows.forEach(r -> LOG.info("shop {} account {} chargesEnabled={} (event {})", r.getString("slug"),
                object.getString("id"), object.getBoolean("charges_enabled"), event.getString("id")));
            return true;
          });
    })).onSuccess(applied -> Responses.ok(rc, new JsonObject().put("received", true)))
        .onFailure(rc::fail);
  }
}
