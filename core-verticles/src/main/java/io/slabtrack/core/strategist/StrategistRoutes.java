package io.slabtrack.core.strategist;

import io.slabtrack.cluster.auth.AuthHandlers;
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

  private final Portfolio portfolio;
  private final ProposalStore store;
  private final ProposalCommit commit;
  private final Clock clock;

  public StrategistRoutes(Portfolio portfolio, ProposalStore store, ProposalCommit commit, Clock clock) {
    this.portfolio = portfolio;
    this.store = store;
    this.commit = commit;
    this.clock = clock;
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
    String by = AuthHandlers.principal(rc).subject();
    portfolio.personal(body.getString("ownerId"))
        .compose(cards -> rc.vertx().executeBlocking(() -> ProposalBuilder.build(TOOL, config, cards, clock.instant()),
            false))
        .compose(built -> store.create(built, by).map(built))
        .onSuccess(built -> created(rc, "/api/strategist/proposals/" + built.id(), built))
        .onFailure(rc::fail);
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

  /** 201 with the view the worker already encoded. */
  public static void created(RoutingContext rc, String location, ProposalBuilder.Built built) {
    rc.response().putHeader("Location", location);
    Responses.send(rc, 201, built.view());
  }

  /** The path's proposal id (the validator has checked it is a UUID). */
  public static UUID id(RoutingContext rc) {
    return UUID.fromString(rc.pathParam("id"));
  }
}
