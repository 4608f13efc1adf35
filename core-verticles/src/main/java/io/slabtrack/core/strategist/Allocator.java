package io.slabtrack.core.strategist;

import io.slabtrack.core.teams.TeamCities;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole-portfolio allocator: scores every card, routes it into a pool, builds lots out of each pool's lot
 * candidates, and writes the proposal document ({@link ProposalDocument}).
 * <p>Lot candidates: ToT cards under the lot threshold (they can't be flipped alone), and every eBay card (eBay lots
 * stay under the eBay lot ceiling, $75 by default). A ToT card under the threshold that makes no lot is a Pull-only
 * single if it is pull-eligible; otherwise it stays personal, since ToT couldn't sell it. In lots-only mode (the Lot
 * Builder) every card that makes no lot stays personal.
 */
public final class Allocator {
  private static final long SOLO_FLIP_FLOOR = 1_500;

  private final StrategyConfig config;
  private final Scorer scorer;

  public Allocator(StrategyConfig config, Instant now) {
    this.config = config;
    this.scorer = new Scorer(now);
  }

  public JsonObject propose(String tool, List<PortfolioCard> cards) {
    Map<Long, JsonObject> entries = new HashMap<>();
    Map<Pool, List<PortfolioCard>> candidates = new HashMap<>();
    JsonArray out = new JsonArray();
    for (PortfolioCard c : cards) {
      Scores s = scorer.score(c);
      Router.Route r = Router.route(c, s, config);
      JsonObject fits = new JsonObject();
      r.fits().forEach((p, f) -> fits.put(p.slug(), f));
      JsonObject e = new JsonObject().put("cardId", c.id()).put("player", c.player()).put("year", c.year())
          .put("setName", c.setName()).put("sport", c.sport()).put("team", c.team())
          .put("city", TeamCities.get().city(c.team(), c.sport()).orElse(null))
          .put("value", c.value()).put("askingPrice", c.askingPrice()).put("price", c.defaultPrice())
          .put("pool", r.pool().slug()).putNull("lot").put("pullOnly", false).put("reason", r.reason())
          .put("scores", s.toJson()).put("fits", fits);
      entries.put(c.id(), e);
      out.add(e);
      if (lotCandidate(r.pool(), c)) {
        candidates.computeIfAbsent(r.pool(), p -> new ArrayList<>()).add(c);
      }
    }
    JsonArray lots = new JsonArray();
    int n = 0;
    for (Pool pool : Pool.SELLING) {
      List<PortfolioCard> pc = candidates.getOrDefault(pool, List.of());
      if (pc.isEmpty()) {
        continue;
      }
      LotBuilder builder = new LotBuilder(config.lots(), pool == Pool.EBAY ? config.ebayLotMax() : null);
      for (LotBuilder.Draft d : builder.build(pc)) {
        String id = "L" + (++n);
        List<Long> ids = d.cards().stream().map(PortfolioCard::id).toList();
        ids.forEach(cardId -> entries.get(cardId).put("lot", id)
            .put("reason", d.kind().wire() + " lot '" + d.label() + "' in " + pool.slug()));
        lots.add(new Lot(id, pool, d.kind(), d.label(), d.chips(), ids, d.total()).toJson());
      }
    }
    for (PortfolioCard c : cards) {
      settleSingle(entries.get(c.id()), c);
    }
    return new JsonObject().put("tool", tool).put("config", config.toJson()).put("shop", config.shop())
        .put("cards", out).put("lots", lots).put("nextLot", n + 1);
  }

  private boolean lotCandidate(Pool pool, PortfolioCard c) {
    if (!config.lots().enabled()) {
      return false;
    }
    return pool == Pool.EBAY || (pool == Pool.THISORTHAT && c.value() < config.lots().threshold());
  }

  /** A card in no lot: the single it can be, or personal. */
  private void settleSingle(JsonObject e, PortfolioCard c) {
    if (e.getString("lot") != null || !Pool.THISORTHAT.slug().equals(e.getString("pool"))) {
      return;
    }
    if (config.lotsOnly()) {
      e.put("pool", Pool.PERSONAL.slug()).put("reason", "no lot of " + config.lots().minSize()
          + "+ cards worth " + Router.dollars(config.lots().threshold()) + "+ for it");
    } else if (c.value() < SOLO_FLIP_FLOOR) {
      if (c.pullEligible()) {
        e.put("pullOnly", true).put("reason", e.getString("reason") + "; under the $15 solo-Flip floor: Pull-only single");
      } else {
        e.put("pool", Pool.PERSONAL.slug()).put("reason", "under the $15 solo-Flip floor, not pull-eligible, in no lot");
      }
    } else if (!c.flipEligible() && !c.pullEligible()) {
      e.put("pool", Pool.PERSONAL.slug()).put("reason", "neither flip- nor pull-eligible: ToT can't sell it");
    }
  }
}
