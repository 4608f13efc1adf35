package io.slabtrack.core.strategist;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the cards the allocator may move: unsold, not keepers, resting on personal (active on no other channel).
 * Cards engaged anywhere, keepers and sold cards are never proposed.
 */
public final class Portfolio {
  /** The columns {@link #card} reads, from {@code cards_priced c}. */
  public static final String COLUMNS = """
      c.id, c.player, c.year, c.set_name, c.sport, c.team, c.comp_value, c.comp_source, c.asking_price,
      c.ebay_sample_size, c.comps_refreshed_at, c.pull_eligible, c.flip_eligible""";

  private static final String PERSONAL = "SELECT " + COLUMNS + """

      FROM cards_priced c
      WHERE c.listing_status = 'personal' AND NOT c.is_keeper
        AND NOT EXISTS (SELECT 1 FROM card_channels cc WHERE cc.card_id = c.id AND cc.status = 'active'
                        AND cc.channel <> 'personal')
        AND ($1::text IS NULL OR c.owner_id = $1)
      ORDER BY c.id""";

  private final Pool pool;

  public Portfolio(Pool pool) {
    this.pool = pool;
  }

  /** @param ownerId only this owner's cards, or null for every owner's */
  public Future<List<PortfolioCard>> personal(String ownerId) {
    return pool.preparedQuery(PERSONAL).execute(Tuple.of(ownerId)).map(rows -> {
      List<PortfolioCard> out = new ArrayList<>(rows.size());
      rows.forEach(r -> out.add(card(r)));
      return out;
    });
  }

  /** A row selected with {@link #COLUMNS} as a card. */
  public static PortfolioCard card(Row r) {
    OffsetDateTime refreshed = r.getOffsetDateTime("comps_refreshed_at");
    return new PortfolioCard(r.getLong("id"), r.getString("player"), r.getInteger("year"), r.getString("set_name"),
        r.getString("sport"), r.getString("team"), r.getLong("comp_value"), r.getString("comp_source"),
        r.getLong("asking_price"), r.getInteger("ebay_sample_size"),
        refreshed == null ? null : refreshed.toInstant(), r.getBoolean("pull_eligible"), r.getBoolean("flip_eligible"));
  }
}
