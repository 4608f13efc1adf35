package io.slabtrack.core.publish;

import io.slabtrack.core.cards.CardSnapshotSql;
import io.slabtrack.core.channels.Channel;

/**
 * The publish messages of {@link Publisher}, built by PostgreSQL for {@code Outbox.enqueueSelected}: each private
 * message and its public mirror (EVENT-BUS.md), with the bodies {@link Publisher} documents. Parameters: $1 the card
 * ids, $2 the channel's slug, $3 the type ({@code publish|update|disengage}), $4 the reason or null, $5 the private
 * address, $6 the public address, $7 the public type, $8 the public schema version.
 */
final class PublishSql {
  private PublishSql() {
  }

  private static final String REASON =
      "CASE WHEN $4::text IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('reason', $4::text) END";

  /** A withdrawal or a sale says no price in public. */
  private static final String PUBLIC_PRICE = "CASE WHEN $7::text IN ('" + PublicCardEvents.WITHDRAWN + "', '"
      + PublicCardEvents.SOLD + "') THEN '{}'::jsonb ELSE jsonb_build_object('price', m.price) END";

  private static final String PUBLIC_BASE = "jsonb_build_object('type', $7::text, 'schemaVersion', $8::int,"
      + " 'channel', $2::text, 'listingKey', m.listing_key, 'version', m.version)";

  /**
   * One message per card, each on its own listing {@code card:<id>}: every card of a Storefront publish, the cards of
   * a ToT publish that are in no lot. The price is the channel's own, else the card's asking price.
   */
  static String singles(Channel channel) {
    return singles(channel, false);
  }

  /**
   * {@link #singles(Channel)}; with {@code ownIds} each card's messages also carry a {@code correlation} column, the
   * ids paired with the card in $9 (card ids) and $10 (jsonb ids), for {@code Outbox.enqueueSelectedWithIds}.
   */
  static String singles(Channel channel, boolean ownIds) {
    String ids = ownIds ? ", (SELECT x.ids FROM unnest($9::bigint[], $10::jsonb[]) AS x(id, ids) WHERE x.id = c.id"
        + " LIMIT 1) AS correlation" : "";
    String idsOut = ownIds ? ", m.correlation" : "";
    boolean shop = channel == Channel.STOREFRONT;
    String extra = shop ? "jsonb_build_object('shop', m.shop)" : "jsonb_build_object('lot', NULL)";
    String publicExtra = shop ? " || jsonb_build_object('shop', m.shop)" : "";
    return "WITH m AS MATERIALIZED (SELECT c.id, c.version, cc.shop, coalesce(cc.price_cents, c.asking_price) AS price,"
        + " 'card:' || c.id AS listing_key, " + CardSnapshotSql.of("c") + " AS snapshot,"
        + " row_number() OVER (ORDER BY c.id) AS n" + ids
        + " FROM cards_priced c LEFT JOIN card_channels cc ON cc.card_id = c.id AND cc.channel = $2::text"
        + " WHERE c.id = ANY($1::bigint[])" + (channel == Channel.THISORTHAT ? " AND cc.lot_key IS NULL" : "") + ")"
        + " SELECT gen_random_uuid() AS event_id, $5::text || '|' || m.listing_key AS aggregate, $5::text AS address,"
        + " jsonb_build_object('type', $3::text, 'listingKey', m.listing_key, 'cardId', m.id, 'version', m.version,"
        + " 'price', m.price, 'card', m.snapshot) || " + extra + " || " + REASON + " AS payload, 2 * m.n AS ord"
        + idsOut + " FROM m"
        + " UNION ALL SELECT gen_random_uuid(), $6::text || '|' || m.listing_key, $6::text,"
        + " " + PUBLIC_BASE + " || jsonb_build_object('cardIds', jsonb_build_array(m.id)) || " + PUBLIC_PRICE
        + publicExtra + ", 2 * m.n + 1" + idsOut + " FROM m";
  }

  /**
   * One message per ToT lot any of the cards is in ({@code lot:<lotKey>}), with every member of the lot: the
   * highest member version, the members' prices summed (a missing one counts 0), each member's snapshot with its
   * price. One statement for all the lots of a commit.
   */
  static final String LOTS = "WITH keys AS (SELECT DISTINCT lot_key FROM card_channels"
      + " WHERE card_id = ANY($1::bigint[]) AND channel = $2::text AND lot_key IS NOT NULL),"
      + " members AS (SELECT cc.lot_key, c.id, c.version, coalesce(cc.price_cents, c.asking_price) AS price,"
      + " " + CardSnapshotSql.of("c") + " AS snapshot"
      + " FROM keys k JOIN card_channels cc ON cc.lot_key = k.lot_key AND cc.channel = $2::text"
      + " JOIN cards_priced c ON c.id = cc.card_id),"
      + " m AS MATERIALIZED (SELECT lot_key, 'lot:' || lot_key AS listing_key, greatest(0, max(version)) AS version,"
      + " sum(coalesce(price, 0))::bigint AS price, jsonb_agg(id ORDER BY id) AS card_ids, count(*) AS size,"
      + " jsonb_agg(snapshot || jsonb_build_object('price', price) ORDER BY id) AS cards,"
      + " row_number() OVER (ORDER BY lot_key) AS n FROM members GROUP BY lot_key)"
      + " SELECT gen_random_uuid() AS event_id, $5::text || '|' || m.listing_key AS aggregate, $5::text AS address,"
      + " jsonb_build_object('type', $3::text, 'listingKey', m.listing_key, 'version', m.version, 'price', m.price,"
      + " 'lot', jsonb_build_object('lotKey', m.lot_key, 'cardIds', m.card_ids, 'size', m.size), 'cards', m.cards)"
      + " || " + REASON + " AS payload, 2 * m.n AS ord FROM m"
      + " UNION ALL SELECT gen_random_uuid(), $6::text || '|' || m.listing_key, $6::text,"
      + " " + PUBLIC_BASE + " || jsonb_build_object('cardIds', m.card_ids) || " + PUBLIC_PRICE + ", 2 * m.n + 1 FROM m";

  /**
   * Remembers the version each card was last published at on the channel (the reconciler's stale_snapshot): the
   * cards ($1) on the channel ($2), by their key.
   */
  static final String MARK_PUBLISHED = """
      UPDATE card_channels cc SET published_version = c.version FROM cards c
      WHERE c.id = cc.card_id AND cc.card_id = ANY($1::bigint[]) AND cc.channel = $2::text""";

  /** The same for every member of a ToT lot one of the cards ($1) is in: all of a lot are published together. */
  static final String MARK_LOTS_PUBLISHED = """
      UPDATE card_channels cc SET published_version = c.version FROM cards c
      WHERE c.id = cc.card_id AND cc.channel = 'thisorthat' AND cc.lot_key IN (SELECT lot_key FROM card_channels
        WHERE card_id = ANY($1::bigint[]) AND channel = 'thisorthat' AND lot_key IS NOT NULL)""";
}
