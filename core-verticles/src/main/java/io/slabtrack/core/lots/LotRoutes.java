package io.slabtrack.core.lots;

import io.slabtrack.cluster.http.Responses;
import io.slabtrack.core.api.OperatorApi;
import io.slabtrack.core.cards.CardRoutes;
import io.slabtrack.core.strategist.LotRules;
import io.slabtrack.core.strategist.Portfolio;
import io.slabtrack.core.strategist.Preset;
import io.slabtrack.core.strategist.ProposalCommit;
import io.slabtrack.core.strategist.ProposalCreation;
import io.slabtrack.core.strategist.ProposalStore;
import io.slabtrack.core.strategist.StrategistRoutes;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

/**
 * The Lot Builder: the allocator in lots-only mode over the personal cards (ToT only, threshold $15, 3–25 cards a
 * lot, no card in two lots), stored like a Strategist proposal; the operator commits the lots they choose.
 */
public final class LotRoutes implements OperatorApi.Feature {
  public static final String TOOL = "lots";

  private final ProposalCreation creation;
  private final ProposalStore store;
  private final ProposalCommit commit;

  public LotRoutes(Portfolio portfolio, ProposalStore store, ProposalCommit commit, Clock clock) {
    this.creation = new ProposalCreation(TOOL, portfolio, store, clock);
    this.store = store;
    this.commit = commit;
  }

  @Override
  public void bind(OperatorApi.Binder api) {
    api.on("createLotProposal", this::create);
    api.on("getLotProposal", this::get);
    api.on("commitLotProposal", this::commit);
  }

  private void create(RoutingContext rc) {
    JsonObject body = CardRoutes.body(rc);
    LotRules rules = new LotRules(true, body.getLong("threshold", Preset.LOT_THRESHOLD),
        body.getInteger("maxSize", Preset.LOT_MAX_SIZE), body.getInteger("minSize", Preset.LOT_MIN_SIZE));
    if (rules.minSize() > rules.maxSize()) {
      throw io.slabtrack.cluster.http.ApiErrors.invalidField("minSize", "minSize can't be above maxSize");
    }
    creation.create(rc, Preset.lotsOnly(rules), body.getString("ownerId"), "/api/lots/proposals");
  }

  private void get(RoutingContext rc) {
    store.get(StrategistRoutes.id(rc)).onSuccess(s -> Responses.ok(rc, s.view())).onFailure(rc::fail);
  }

  private void commit(RoutingContext rc) {
    UUID id = StrategistRoutes.id(rc);
    List<String> chosen = CardRoutes.body(rc).getJsonArray("lots").stream().map(Object::toString).toList();
    store.get(id)
        .map(stored -> LotSelection.check(stored.document(), chosen))
        .compose(lots -> commit.commit(id, card -> lots.contains(card.getString("lot"))).map(r -> r.put("lots",
            new io.vertx.core.json.JsonArray(List.copyOf(lots)))))
        .onSuccess(r -> Responses.ok(rc, r)).onFailure(rc::fail);
  }
}
