package io.slabtrack.storefront.demo;

import com.stripe.param.AccountCreateParams;
import com.stripe.param.AccountLinkCreateParams;
import io.slabtrack.cluster.app.AppContext;
import io.slabtrack.storefront.connect.StorefrontStripe;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dev mode's {@code demo} shop (core's demo seed engages cards into it), and — with the local Stripe simulator —
 * a connected account that has finished onboarding, so a person can click through a whole purchase. Idempotent.
 */
public final class DemoShop {
  public static final String SLUG = "demo";
  /** Core's fallback demo owner id; the demo operator manages it anyway (operators manage every shop). */
  public static final String OWNER = "demo-operator";
  private static final Logger LOG = LoggerFactory.getLogger(DemoShop.class);
  private static final String INSERT = "INSERT INTO storefronts (slug, name, owner_id, bio, theme, ship_from) "
      + "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (slug) DO NOTHING";
  private static final String CONNECTED = "UPDATE storefronts SET stripe_account_id = $2, stripe_charges_enabled = true, "
      + "stripe_details_submitted = true, updated_at = now() WHERE slug = $1";
  private static final String STORED_ACCOUNT = "SELECT stripe_account_id FROM storefronts WHERE slug = $1";

  private DemoShop() {
  }

  public static Future<Void> seed(AppContext ctx, StorefrontStripe stripe) {
    JsonObject theme = new JsonObject().put("preset", "showcase").put("palette", "midnight");
    JsonObject shipFrom = new JsonObject().put("name", "SlabTrack Demo").put("line1", "1 Demo Way")
        .put("city", "Austin").put("state", "TX").put("postalCode", "78701").put("country", "US");
    return ctx.pool().preparedQuery(INSERT).execute(Tuple.of(SLUG, "SlabTrack Demo Shop", OWNER,
            "Graded cards from the demo inventory.", theme, shipFrom))
        // the simulator itself is started by the launcher before the satellites (dev, or STRIPE_SIMULATOR=true):
        // the app knows only its address, STRIPE_API_BASE
        .compose(x -> stripe.settings().simulator() ? connectUnlessKnown(ctx, stripe) : Future.succeededFuture())
        .onSuccess(x -> LOG.info("demo shop '{}' ready", SLUG))
        .recover(e -> {
          LOG.warn("demo shop: Stripe onboarding skipped ({})", e.toString());
          return Future.succeededFuture();
        });
  }

  /**
   * The simulator keeps its accounts in memory: after a restart on the same database the stored account is
   * unknown to it and every checkout would fail ("No such destination"). A stored account the simulator still
   * knows, ready for charges, is kept; otherwise the shop is connected afresh.
   */
  private static Future<Void> connectUnlessKnown(AppContext ctx, StorefrontStripe stripe) {
    return ctx.pool().preparedQuery(STORED_ACCOUNT).execute(Tuple.of(SLUG))
        .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getString(0) : null)
        .compose(stored -> stored == null ? Future.succeededFuture(false)
            : stripe.gateway().retrieveAccount(stored).map(a -> Boolean.TRUE.equals(a.getChargesEnabled()))
                .otherwise(false))
        .compose(known -> known ? Future.succeededFuture() : connect(ctx, stripe));
  }

  /**
   * One GET with a client of its own, closed after: held until then, since Vert.x closes a client that is garbage
   * collected, connection and all.
   */
  private static Future<Void> openOnce(AppContext ctx, String url) {
    var http = ctx.vertx().createHttpClient();
    return http.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url))
        .compose(req -> req.send()).<Void>mapEmpty().eventually(() -> http.close());
  }

  /** The simulator completes onboarding when its link is opened; dev does that for the person. */
  private static Future<Void> connect(AppContext ctx, StorefrontStripe stripe) {
    return stripe.gateway().createAccount(AccountCreateParams.builder().setType(AccountCreateParams.Type.EXPRESS)
            .putMetadata("storefront", SLUG).build(), "storefront-account-" + SLUG)
        .compose(account -> stripe.gateway().createAccountLink(AccountLinkCreateParams.builder()
                .setAccount(account.getId()).setType(AccountLinkCreateParams.Type.ACCOUNT_ONBOARDING)
                .setRefreshUrl(stripe.publicUrl() + "/s/" + SLUG).setReturnUrl(stripe.publicUrl() + "/s/" + SLUG)
                .build(), "storefront-account-link-demo-seed")
            .compose(link -> openOnce(ctx, link.getUrl()).map(account.getId())))
        .compose(accountId -> ctx.pool().preparedQuery(CONNECTED).execute(Tuple.of(SLUG, accountId))
            .onSuccess(x -> LOG.info("demo shop '{}' connected to simulator account {}", SLUG, accountId)))
        .mapEmpty();
  }
}
