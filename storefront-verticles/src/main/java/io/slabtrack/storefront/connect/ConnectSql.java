package io.slabtrack.storefront.connect;

/** The SQL of Stripe Connect onboarding. */
final class ConnectSql {
  /** First writer wins: a concurrent onboarding got the same account from Stripe (same idempotency key). */
  static final String SET_ACCOUNT = "UPDATE storefronts SET stripe_account_id = $2, updated_at = now() "
      + "WHERE slug = $1 AND stripe_account_id IS NULL";

  static final String ACCOUNT_OF = "SELECT stripe_account_id FROM storefronts WHERE slug = $1";

  /**
   * Applies an account's flags as of $4 (epoch seconds: an event's {@code created}, or when a read of the account
   * began) unless newer ones are stored.
   */
  static final String SYNC_FLAGS = "UPDATE storefronts SET stripe_charges_enabled = $2, "
      + "stripe_details_submitted = $3, stripe_account_synced_at = $4, updated_at = now() "
      + "WHERE stripe_account_id = $1 AND stripe_account_synced_at <= $4 RETURNING slug";

  private ConnectSql() {
  }
}
