package io.slabtrack.tot.plays;

import io.slabtrack.cluster.limits.BuyerHold;

/** SQL of the plays feature. */
final class PlaysSql {
  private PlaysSql() {
  }

  static final String OPTIONS = """
      SELECT l.id, l.status, l.card_value, l.spread, l.flip_eligible, l.pull_eligible,
             array(SELECT c.card_id FROM listing_cards c WHERE c.listing_id = l.id ORDER BY c.card_id) AS card_ids,
             -- what the hosted payment page names (the card as sold: year, set, player, grade)
             array(SELECT concat_ws(' ', c.snapshot->>'year', c.snapshot->>'setName', c.snapshot->>'player',
                                    c.snapshot->>'gradingCompany', c.snapshot->>'grade')
                   FROM listing_cards c WHERE c.listing_id = l.id ORDER BY c.card_id) AS card_titles
      FROM listings l WHERE l.id = ANY($1) ORDER BY l.id""";

  static final String BY_IDEMPOTENCY_KEY = "SELECT * FROM plays WHERE idempotency_key = $1";

  /** Claims a key for this attempt; a claim older than any play takes (its node died) is taken over. */
  static final String CLAIM_KEY = """
      INSERT INTO play_key_claims (idempotency_key, request_hash, claim_token) VALUES ($1, $2, $3)
      ON CONFLICT (idempotency_key) DO UPDATE
        SET request_hash = EXCLUDED.request_hash, claim_token = EXCLUDED.claim_token, claimed_at = now()
        WHERE play_key_claims.claimed_at < now() - $4::int * interval '1 second'
      RETURNING claim_token""";

  static final String KEY_CLAIM = "SELECT request_hash FROM play_key_claims WHERE idempotency_key = $1";

  static final String RELEASE_KEY = "DELETE FROM play_key_claims WHERE idempotency_key = $1 AND claim_token = $2";

  static final String BY_ID = "SELECT * FROM plays WHERE id = $1";

  /** The play and its buyer hold ($26..$29, {@link BuyerHold#addTo}); no row when the key's play exists. */
  static final String INSERT = """
      WITH p AS (
      INSERT INTO plays (id, game, status, idempotency_key, request_hash, lock_ref, listing_ids, options, card_ids,
                         email, shipping_address, card_value, spread, win_price, lose_price, pull_price, amount,
                         seed_hash, server_seed_sealed, anchor, anchored_at, payment_intent_id, client_secret,
                         payment_mode, checkout_session_id, checkout_url)
      VALUES ($1, $2, 'COMMITTED', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
              $21, $22, $23, $24, $25)
      ON CONFLICT (idempotency_key) DO NOTHING
      RETURNING *), """ + BuyerHold.insertStep("h", "p", "id", 26) + " SELECT * FROM p";

  /** The buyer's seed: only before reveal; setting the same value again is a no-op. */
  static final String SET_CLIENT_SEED = """
      UPDATE plays SET client_seed = $2, client_seed_default = false, updated_at = now()
      WHERE id = $1 AND revealed_at IS NULL AND status = 'COMMITTED' AND (client_seed IS NULL OR client_seed = $2)
      RETURNING *""";
}
