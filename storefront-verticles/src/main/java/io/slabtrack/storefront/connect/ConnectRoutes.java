package io.slabtrack.storefront.connect;

import com.stripe.model.Account;
import com.stripe.param.AccountCreateParams;
import com.stripe.param.AccountLinkCreateParams;
import io.slabtrack.cluster.app.AppContext;
import io.slabtrack.cluster.auth.AuthHandlers;
import io.slabtrack.cluster.auth.VerifiedToken;
import io.slabtrack.cluster.http.Responses;
import io.slabtrack.cluster.stripe.StripeEventInbox;
import io.slabtrack.storefront.shops.Shop;
import io.slabtrack.storefront.shops.Shops;
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

  private ConnectRoutes(Pool pool, StorefrontStripe stripe) {
    this.pool = pool;
    this.stripe = stripe;
  }

  public static void mount(Router router, AppContext ctx, StorefrontStripe stripe) {
    ConnectRoutes routes = new ConnectRoutes(ctx.pool(), stripe);
    router.post("/api/storefronts/:slug/stripe/onboarding").handler(ctx.auth().session()).handler(routes::onboarding);
    router.post("/api/stripe/connect/webhook").handler(routes::webhook);
  }

  /**
   * Creates the Express account once (idempotency key per shop, first stored id wins), refreshes the shop's flags
   * from Stripe (a lost webhook heals here), and answers a fresh onboarding link.
   */
  private void onboarding(RoutingContext rc) {
    VerifiedToken who = AuthHandlers.principal(rc);
    String slug = rc.pathParam("slug");
    String linkKey = stripe.gateway().keyPrefix() + "account-link-" + slug + "-"
        + (rc.request().getHeader("Idempotency-Key") != null ? rc.request().getHeader("Idempotency-Key")
        : UUID.randomUUID().toString());
    Shops.get(pool, slug)
        .compose(shop -> {
          shop.requireAccess(who);
          return shop.stripeAccountId() != null ? Future.succeededFuture(shop.stripeAccountId()) : createAccount(shop, who);
        })
        .compose(accountId -> stripe.gateway().retrieveAccount(accountId)
            .compose(account -> sync(account, Instant.now().getEpochSecond()).map(account)))
        .compose(account -> stripe.gateway().createAccountLink(AccountLinkCreateParams.builder()
                .setAccount(account.getId())
                .setRefreshUrl(stripe.publicUrl() + "/shops/" + slug + "/stripe/refresh")
                .setReturnUrl(stripe.publicUrl() + "/shops/" + slug + "/stripe/return")
                .setType(AccountLinkCreateParams.Type.ACCOUNT_ONBOARDING).build(), linkKey)
            .map(link -> new JsonObject().put("accountId", account.getId()).put("url", link.getUrl())
                .put("expiresAt", Instant.ofEpochSecond(link.getExpiresAt()).toString())
                .put("chargesEnabled", Boolean.TRUE.equals(account.getChargesEnabled()))
                .put("detailsSubmitted", Boolean.TRUE.equals(account.getDetailsSubmitted()))))
        .onSuccess(body -> Responses.ok(rc, body))
        .onFailure(rc::fail);
  }

  private Future<String> createAccount(Shop shop, VerifiedToken who) {
    AccountCreateParams.Builder params = AccountCreateParams.builder().setType(AccountCreateParams.Type.EXPRESS)
        .putMetadata("storefront", shop.slug());
    if (who.email() != null && shop.ownerId().equals(who.subject())) {
      params.setEmail(who.email());
    }
    return stripe.gateway().createAccount(params.build(), stripe.gateway().keyPrefix() + "account-" + shop.slug())
        .compose(account -> pool.preparedQuery(ConnectSql.SET_ACCOUNT).execute(Tuple.of(shop.slug(), account.getId()))
            .compose(x -> pool.preparedQuery(ConnectSql.ACCOUNT_OF).execute(Tuple.of(shop.slug())))
            .map(rows -> {
              String stored = rows.iterator().next().getString("stripe_account_id");
              LOG.info("shop {} connected to Stripe account {}", shop.slug(), stored);
              return stored;
            }));
  }

  private Future<Void> sync(Account account, long at) {
    return pool.preparedQuery(ConnectSql.SYNC_FLAGS).execute(Tuple.of(account.getId(),
        Boolean.TRUE.equals(account.getChargesEnabled()), Boolean.TRUE.equals(account.getDetailsSubmitted()), at))
        .mapEmpty();
  }

  /** {@code account.updated} from connected accounts; every other type is acknowledged and ignored. */
  private void webhook(RoutingContext rc) {
    JsonObject event = stripe.connect().verify(rc.body().asString(), rc.request().getHeader("Stripe-Signature"));
    String type = event.getString("type");
    JsonObject object = event.getJsonObject("data", new JsonObject()).getJsonObject("object", new JsonObject());
    pool.withTransaction(tx -> StripeEventInbox.firstTime(tx, event).compose(first -> {
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
