package io.slabtrack.storefront.shops;

import io.slabtrack.cluster.auth.Role;
import io.slabtrack.cluster.auth.VerifiedToken;
import io.slabtrack.cluster.http.ApiErrors;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;

/** One shop row. */
public record Shop(String slug, String name, String ownerId, String bio, String bannerUrl, JsonObject theme,
                   JsonObject shipFrom, String stripeAccountId, boolean chargesEnabled, boolean detailsSubmitted,
                   String orderMailTo, Instant createdAt, Instant updatedAt) {

  /** From a row carrying {@link Shops#columns}' columns (other columns beside them are ignored). */
  public static Shop of(Row r) {
    return new Shop(r.getString("slug"), r.getString("name"), r.getString("owner_id"), r.getString("bio"),
        r.getString("banner_url"), (JsonObject) r.getValue("theme"), (JsonObject) r.getValue("ship_from"),
        r.getString("stripe_account_id"), r.getBoolean("stripe_charges_enabled"),
        r.getBoolean("stripe_details_submitted"), r.getString("order_mail_to"), instant(r.getOffsetDateTime("created_at")),
        instant(r.getOffsetDateTime("updated_at")));
  }

  /** Checkout is open once Stripe says the connected account can take charges. */
  public boolean acceptingOrders() {
    return chargesEnabled;
  }

  /** The owner (session sub) or an operator; anyone else → 403 "no access to this shop". */
  public void requireAccess(VerifiedToken who) {
    if (!canManage(who)) {
      throw ApiErrors.forbidden("no_access", "no access to this shop");
    }
  }

  public boolean canManage(VerifiedToken who) {
    return who.roles().contains(Role.OPERATOR) || ownerId.equals(who.subject());
  }

  /** What any buyer sees. */
  public JsonObject publicJson() {
    return new JsonObject().put("slug", slug).put("name", name).put("bio", bio).put("bannerUrl", bannerUrl)
        .put("theme", theme).put("acceptingOrders", acceptingOrders());
  }

  /** What the owner and operators see. */
  public JsonObject ownerJson() {
    return publicJson().put("ownerId", ownerId).put("shipFrom", shipFrom).put("orderMailTo", orderMailTo)
        .put("stripe", new JsonObject().put("accountId", stripeAccountId).put("chargesEnabled", chargesEnabled)
            .put("detailsSubmitted", detailsSubmitted))
        .put("createdAt", createdAt.toString()).put("updatedAt", updatedAt.toString());
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }
}
