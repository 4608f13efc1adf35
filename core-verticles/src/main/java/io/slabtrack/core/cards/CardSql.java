package io.slabtrack.core.cards;

import java.util.Collection;
import java.util.stream.Collectors;

/** Core's card SQL. Reads go through the {@code cards_priced} view (comp value and audit flags live there). */
public final class CardSql {
  private CardSql() {
  }

  /** The card with its computed pricing and its channel rows, as one row per card. */
  public static final String SELECT_CARD = """
      SELECT c.*, (SELECT coalesce(jsonb_agg(jsonb_build_object('channel', cc.channel, 'status', cc.status,
                     'externalRef', cc.external_ref, 'shop', cc.shop, 'price', cc.price_cents, 'lotKey', cc.lot_key,
                     'updatedAt', cc.updated_at) ORDER BY cc.channel), '[]'::jsonb)
                   FROM card_channels cc WHERE cc.card_id = c.id) AS channels
      FROM cards_priced c""";

  public static final String BY_ID = SELECT_CARD + " WHERE c.id = $1";

  public static final String BY_IDS = SELECT_CARD + " WHERE c.id = ANY($1) ORDER BY c.id";

  public static final String LOCK = "SELECT id, listing_status, is_keeper FROM cards WHERE id = $1 FOR UPDATE";

  /** Every card starts on its personal channel. */
  public static final String INSERT_PERSONAL_ROWS = """
      INSERT INTO card_channels (card_id, channel, status) SELECT unnest($1::bigint[]), 'personal', 'active'""";

  public static final String DELETE = "DELETE FROM cards WHERE id = $1";

  public static final String COUNT_BY_OWNER = "SELECT count(*) AS n FROM cards WHERE owner_id = $1";

  /** A user's session subject (their id as text), to own cards; empty when there is no such user. */
  public static final String OWNER_BY_EMAIL = "SELECT id::text AS owner FROM users WHERE lower(email) = lower($1)";

  public static final String ACTIVE_ELSEWHERE = """
      SELECT channel FROM card_channels WHERE card_id = $1 AND status = 'active' AND channel <> 'personal'""";

  /** Audit: cards carrying a flag, grouped in the route. */
  public static final String FLAGGED = SELECT_CARD
      + " WHERE cardinality(c.audit_flags) > 0 AND c.listing_status <> 'sold' ORDER BY c.id LIMIT $1";

  /**
   * Inserts cards from a JSON array of column-keyed records ({@link CardInput#toRecord}); $1 the array, $2 the
   * owner. ON CONFLICT skips a cert number already in inventory: the rows not returned are the duplicates.
   */
  public static String insertFromJson(Collection<CardField> fields) {
    String cols = fields.stream().map(f -> f.column).collect(Collectors.joining(", "));
    String defs = fields.stream().map(f -> f.column + " " + f.kind.sqlType).collect(Collectors.joining(", "));
    return "INSERT INTO cards (owner_id, " + cols + ") SELECT $2, " + cols
        + " FROM jsonb_to_recordset($1::jsonb) AS t(" + defs + ")"
        + " ON CONFLICT (upper(grading_company), cert_number)"
        + " WHERE cert_number IS NOT NULL AND grading_company IS NOT NULL DO NOTHING"
        + " RETURNING id, upper(grading_company) AS grader, cert_number";
  }

  /** Updates the given columns from a column-keyed JSON record ($2) and bumps the version. */
  public static String patch(Collection<CardField> fields) {
    String sets = fields.stream().map(f -> f.column + " = t." + f.column).collect(Collectors.joining(", "));
    String defs = fields.stream().map(f -> f.column + " " + f.kind.sqlType).collect(Collectors.joining(", "));
    return "UPDATE cards c SET " + sets + ", version = c.version + 1, updated_at = now()"
        + " FROM jsonb_to_record($2::jsonb) AS t(" + defs + ") WHERE c.id = $1 RETURNING c.id";
  }

  /** Bumps version after a change made elsewhere (channels, sale); keeps listing_status in step with the rows. */
  public static final String TOUCH = """
      UPDATE cards c SET version = c.version + 1, updated_at = now(),
        listing_status = CASE WHEN c.listing_status = 'sold' THEN 'sold'
                              WHEN EXISTS (SELECT 1 FROM card_channels cc WHERE cc.card_id = c.id
                                           AND cc.status = 'active' AND cc.channel <> 'personal') THEN 'listed'
                              ELSE 'personal' END
      WHERE c.id = ANY($1) RETURNING c.id, c.version""";
}
