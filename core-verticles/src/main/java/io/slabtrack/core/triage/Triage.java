package io.slabtrack.core.triage;

import io.slabtrack.core.channels.Channel;
import io.slabtrack.core.channels.EngageRequest;
import io.slabtrack.core.channels.Engagements;
import io.slabtrack.core.strategist.Portfolio;
import io.slabtrack.core.strategist.PortfolioCard;
import io.slabtrack.core.strategist.Preset;
import io.slabtrack.core.strategist.Router;
import io.slabtrack.core.strategist.Scorer;
import io.slabtrack.core.strategist.StrategyConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

/**
 * Triage: unsold, non-keeper cards not on ToT yet (and on no exclusive channel, which ToT couldn't join), in a price
 * band, most valuable first, each with the pool the Strategist's MIX preset would give it as a hint; the chosen ones
 * go to ToT as singles in one all-or-nothing commit.
 */
public final class Triage {
  private static final String[] BLOCKING = Arrays.stream(Channel.values())
      .filter(c -> c == Channel.THISORTHAT || (c.exclusive && c != Channel.PERSONAL)).map(c -> c.slug)
      .toArray(String[]::new);

  private static final String LIST = "SELECT " + Portfolio.COLUMNS + """
      , c.grading_company, c.grade, c.front_image_thumb
      FROM cards_priced c
      WHERE c.listing_status <> 'sold' AND NOT c.is_keeper
        AND NOT EXISTS (SELECT 1 FROM card_channels cc WHERE cc.card_id = c.id AND cc.status = 'active'
                        AND cc.channel = ANY($1))
        AND c.comp_value >= $2 AND ($3::bigint IS NULL OR c.comp_value < $3)
      ORDER BY c.comp_value DESC, c.id LIMIT $4""";

  private final Pool pool;
  private final Engagements engagements;
  private final Clock clock;

  public Triage(Pool pool, Engagements engagements, Clock clock) {
    this.pool = pool;
    this.engagements = engagements;
    this.clock = clock;
  }

  public Future<JsonObject> list(PriceBand band, int limit) {
    StrategyConfig mix = Preset.MIX.defaults();
    Scorer scorer = new Scorer(clock.instant());
    return pool.preparedQuery(LIST).execute(Tuple.of(BLOCKING, band.min, band.max, limit)).map(rows -> {
      JsonArray cards = new JsonArray();
      rows.forEach(r -> {
        PortfolioCard c = Portfolio.card(r);
        Router.Route hint = Router.route(c, scorer.score(c), mix);
        cards.add(new JsonObject().put("id", c.id()).put("player", c.player()).put("year", c.year())
            .put("setName", c.setName()).put("gradingCompany", r.getString("grading_company"))
            .put("grade", r.getValue("grade") == null ? null : r.getNumeric("grade").doubleValue())
            .put("frontImageThumb", r.getString("front_image_thumb")).put("value", c.value())
            .put("askingPrice", c.askingPrice()).put("hint", hint.pool().slug()).put("hintReason", hint.reason()));
      });
      return band.toJson().put("count", cards.size()).put("cards", cards);
    });
  }

  /** Each chosen card becomes its own ToT single (all or nothing; 409 with conflicts otherwise). */
  public Future<JsonObject> commit(List<Long> cardIds) {
    List<EngageRequest> requests = cardIds.stream()
        .map(id -> new EngageRequest(id, Channel.THISORTHAT, null, null, null)).toList();
    return Future.<Void>succeededFuture().compose(v -> engagements.engage(requests, true))
        .map(ids -> new JsonObject().put("committed", ids.size()).put("cardIds", new JsonArray(ids)));
  }
}
