package io.slabtrack.core.strategist;

import io.slabtrack.cluster.http.Responses;
import io.slabtrack.core.api.OperatorApi;
import io.slabtrack.core.cards.CardRoutes;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.UUID;

/** The Strategist's routes: build a proposal, read it, edit it, commit it. */
public final class StrategistRoutes implements OperatorApi.Feature {
  public static final String TOOL = "strategist";

  private final ProposalCreation creation;
  private final ProposalStore store;
  private final ProposalCommit commit;

  public StrategistRoutes(Portfolio portfolio, ProposalStore store, ProposalCommit commit, Clock clock) {
    this.creation = new ProposalCreation(TOOL, portfolio, store, clock);
    this.store = store;
    this.commit = commit;
  }

  @Override
  public void bind(OperatorApi.Binder api) {
    api.on("createStrategistProposal", this::create);
    api.on("getStrategistProposal", this::get);
    api.on("patchStrategistProposal", this::patch);
    api.on("commitStrategistProposal", this::commit);
  }

  private void create(RoutingContext rc) {
    JsonObject body = CardRoutes.body(rc);
    StrategyConfig config = StrategyConfig.from(Preset.valueOf(body.getString("preset")), body);
    creation.create(rc, config, body.getString("ownerId"), "/api/strategist/proposals");
  }

  private void get(RoutingContext rc) {
    store.get(id(rc)).onSuccess(s -> Responses.ok(rc, s.view())).onFailure(rc::fail);
  }

  private void patch(RoutingContext rc) {
    JsonObject body = CardRoutes.body(rc);
    store.edit(id(rc), doc -> ProposalEdits.apply(doc, body))
        .onSuccess(s -> Responses.ok(rc, s.view())).onFailure(rc::fail);
  }

  private void commit(RoutingContext rc) {
    commit.commit(id(rc), card -> true).onSuccess(r -> Responses.ok(rc, r)).onFailure(rc::fail);
  }

  /** The path's proposal id (the validator has checked it is a UUID). */
  public static UUID id(RoutingContext rc) {
    return UUID.fromString(rc.pathParam("id"));
  }
}
