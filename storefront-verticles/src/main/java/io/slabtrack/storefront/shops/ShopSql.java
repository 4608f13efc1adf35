package io.slabtrack.storefront.shops;

/** The SQL of the shops feature. */
final class ShopSql {
  static final String COLUMNS = "slug, name, owner_id, bio, banner_url, theme, ship_from, stripe_account_id, "
      + "stripe_charges_enabled, stripe_details_submitted, order_mail_to, created_at, updated_at";

  static final String INSERT = "INSERT INTO storefronts (slug, name, owner_id, bio, banner_url, theme, ship_from, "
      + "order_mail_to) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (slug) DO NOTHING RETURNING " + COLUMNS;

  static final String BY_SLUG = "SELECT " + COLUMNS + " FROM storefronts WHERE slug = $1";

  static final String BY_SLUG_FOR_UPDATE = BY_SLUG + " FOR UPDATE";

  static final String UPDATE = "UPDATE storefronts SET name = $2, owner_id = $3, bio = $4, banner_url = $5, "
      + "theme = $6, ship_from = $7, order_mail_to = $8, updated_at = now() WHERE slug = $1 RETURNING " + COLUMNS;

  static final String BY_OWNER = "SELECT " + COLUMNS + " FROM storefronts WHERE owner_id = $1 ORDER BY slug";

  static final String ALL = "SELECT " + COLUMNS + " FROM storefronts ORDER BY slug";

  private ShopSql() {
  }
}
