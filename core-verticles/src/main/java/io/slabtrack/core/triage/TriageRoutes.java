package io.slabtrack.core.triage;

import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.Responses;
import io.slabtrack.core.api.OperatorApi;
import io.slabtrack.core.cards.CardRoutes;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** Triage's routes: the cards of a price band not on ToT yet, and committing the chosen ones as ToT singles. */
public final class TriageRoutes implements OperatorApi.Feature {
  private static final int DEFAULT_LIMIT = 500;
  private final Triage triage;

  public TriageRoutes(Triage triage) {
    this.triage = triage;
  }

  @Override
  public void bind(OperatorApi.Binder api) {
    api.on("triage", this::list);
    api.on("commitTriage", this::commit);
  }

  private void list(RoutingContext rc) {
    String b = rc.queryParams().get("band");
    PriceBand band = b == null ? PriceBand.DEFAULT : PriceBand.of(b)
        .orElseThrow(() -> ApiErrors.invalidField("band", "band must be one of <5, 5-50, 50-200, 200-1000, 1000+, any"));
    String limit = rc.queryParams().get("limit");
    triage.list(band, limit == null ? DEFAULT_LIMIT : Integer.parseInt(limit))
        .onSuccess(r -> Responses.ok(rc, r)).onFailure(rc::fail);
  }

  private void commit(RoutingContext rc) {
    List<Long> ids = CardRoutes.body(rc).getJsonArray("cardIds").stream().map(v -> ((Number) v).longValue())
        .distinct().toList();
    triage.commit(ids).onSuccess(r -> Responses.ok(rc, r)).onFailure(rc::fail);
  }
}
