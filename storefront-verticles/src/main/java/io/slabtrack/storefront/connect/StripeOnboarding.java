package io.slabtrack.storefront.connect;

import com.stripe.model.Account;
import com.stripe.param.AccountCreateParams;
import com.stripe.param.AccountLinkCreateParams;
import io.slabtrack.cluster.auth.VerifiedToken;
import io.slabtrack.storefront.shops.Shop;
import io.slabtrack.storefront.shops.Shops;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A shop owner's Stripe Connect Express onboarding, for the API and the owner's pages alike: the account is created
 * once (idempotency key per shop, first stored id wins), the shop's flags are refreshed from Stripe on every visit
 * (a lost webhook heals here), and a fresh onboarding link leads back to the shop's return and refresh pages.
 */
public final class StripeOnboarding {
  /** Where Stripe sends the owner when onboarding ends (finished or not). */
  public static final String RETURN_PATH = "/s/:slug/manage/stripe/return";
  /** Where Stripe sends the owner when the link expired: a fresh link is made and followed. */
  public static final String REFRESH_PATH = "/s/:slug/manage/stripe/refresh";
  private static final Logger LOG = LoggerFactory.getLogger(StripeOnboarding.class);

  private final Pool pool;
  private final StorefrontStripe stripe;

  public StripeOnboarding(Pool pool, StorefrontStripe stripe) {
    this.pool = pool;
    this.stripe = stripe;
  }

  /** {@code {accountId, url, expiresAt, chargesEnabled, detailsSubmitted}}; 403 for anyone but the owner/operator. */
  public Future<JsonObject> link(String slug, VerifiedToken who, String linkKey) {
    return account(slug, who).compose(account -> stripe.gateway().createAccountLink(AccountLinkCreateParams.builder()
                .setAccount(account.getId())
                .setRefreshUrl(stripe.publicUrl() + REFRESH_PATH.replace(":slug", slug))
                .setReturnUrl(stripe.publicUrl() + RETURN_PATH.replace(":slug", slug))
                .setType(AccountLinkCreateParams.Type.ACCOUNT_ONBOARDING).build(), linkKey)
        .map(link -> new JsonObject().put("accountId", account.getId()).put("url", link.getUrl())
            .put("expiresAt", Instant.ofEpochSecond(link.getExpiresAt()).toString())
            .put("chargesEnabled", Boolean.TRUE.equals(account.getChargesEnabled()))
            .put("detailsSubmitted", Boolean.TRUE.equals(account.getDetailsSubmitted()))));
  }

  /** The shop's account as Stripe has it now, its flags stored; created first when the shop has none. */
  public Future<Account> account(String slug, VerifiedToken who) {
    return Shops.get(pool, slug)
        .compose(shop -> {
          shop.requireAccess(who);
          return shop.stripeAccountId() != null ? Future.succeededFuture(shop.stripeAccountId()) : create(shop, who);
        })
        .compose(accountId -> {
          // dated when the read began: an account.updated created (a second or more) later, while Stripe answered,
          // may be newer than the answer, and must not be overwritten by it
          long readFrom = Instant.now().getEpochSecond();
          return stripe.gateway().retrieveAccount(accountId).compose(account -> sync(account, readFrom).map(account));
        });
  }

  private Future<String> create(Shop shop, VerifiedToken who) {
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
}
