package io.slabtrack.core.strategist;

import io.slabtrack.cluster.auth.AuthHandlers;
import io.slabtrack.cluster.http.Responses;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;

/**
 * Creating a proposal, shared by the Strategist and the Lot Builder: build it off the event loop from the owner's
 * personal cards, store it, answer 201 with its view.
 */
public final class ProposalCreation {
  private final String tool;
  private final Portfolio portfolio;
  private final ProposalStore store;
  private final Clock clock;

  public ProposalCreation(String tool, Portfolio portfolio, ProposalStore store, Clock clock) {
    this.tool = tool;
    this.portfolio = portfolio;
    this.store = store;
    this.clock = clock;
  }

  /** Answers 201 at {@code collection + "/" + id}, or fails the request. */
  public void create(RoutingContext rc, StrategyConfig config, String ownerId, String collection) {
    String by = AuthHandlers.principal(rc).subject();
    portfolio.personal(ownerId)
        .compose(cards -> rc.vertx().executeBlocking(() -> ProposalBuilder.build(tool, config, cards, clock.instant()),
            false))
        .compose(built -> store.create(built, by).map(built))
        .onSuccess(built -> {
          // The worker already encoded the view.
          rc.response().putHeader("Location", collection + "/" + built.id());
          Responses.send(rc, 201, built.view());
        })
        .onFailure(rc::fail);
  }
}
