package io.slabtrack.core.reconcile;

import io.slabtrack.cluster.auth.AuthHandlers;
import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.Responses;
import io.slabtrack.core.api.OperatorApi;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.UUID;

/**
 * {@code POST /api/reconciler/runs} (202 with the run; its progress at {@code GET /api/reconciler/runs/{id}}; the latest
 * runs at {@code GET /api/reconciler/runs}) and
 * {@code GET /api/reconciler/drift} (the latest finished run's findings, by kind, paged by {@code seq}).
 */
public final class ReconcilerRoutes implements OperatorApi.Feature {
  static final int DEFAULT_LIMIT = 500;

  private final Reconciler reconciler;
  private final RunStore runs;

  ReconcilerRoutes(Reconciler reconciler, RunStore runs) {
    this.reconciler = reconciler;
    this.runs = runs;
  }

  @Override
  public void bind(OperatorApi.Binder api) {
    api.on("startReconcilerRun", this::start);
    api.on("getReconcilerRun", this::get);
    api.on("listReconcilerRuns", this::list);
    api.on("getReconcilerDrift", this::drift);
  }

  private void start(RoutingContext rc) {
    JsonObject body = rc.body().isEmpty() ? new JsonObject() : rc.body().asJsonObject();
    ReconcileOptions options = ReconcileOptions.parse(body);
    reconciler.start(options, "operator", AuthHandlers.principal(rc).subject(), null)
        .onSuccess(run -> {
          rc.response().putHeader("Location", run.getString("progressUrl"));
          Responses.accepted(rc, run);
        })
        .onFailure(rc::fail);
  }

  private void list(RoutingContext rc) {
    String limit = rc.queryParams().get("limit");
    runs.latest(limit == null ? 20 : Integer.parseInt(limit))
        .compose(items -> Responses.ok(rc, new JsonObject().put("items", items)))
        .onFailure(rc::fail);
  }

  private void get(RoutingContext rc) {
    UUID id = UUID.fromString(rc.pathParam("id"));
    runs.get(id).onSuccess(run -> {
      if (run == null) {
        rc.fail(ApiErrors.notFound("Reconciler run " + id));
      } else {
        Responses.ok(rc, run);
      }
    }).onFailure(rc::fail);
  }

  private void drift(RoutingContext rc) {
    String runId = rc.queryParams().get("runId");
    String kind = rc.queryParams().get("kind");
    if (kind != null && Arrays.stream(DriftKind.values()).noneMatch(k -> k.wire().equals(kind))) {
      throw ApiErrors.invalidField("kind", "unknown drift kind '" + kind + "'");
    }
    int after = rc.queryParams().get("after") == null ? 0 : Integer.parseInt(rc.queryParams().get("after"));
    int limit = rc.queryParams().get("limit") == null ? DEFAULT_LIMIT : Integer.parseInt(rc.queryParams().get("limit"));
    Future<JsonObject> run = runId == null ? runs.latestDone() : runs.get(UUID.fromString(runId));
    run.compose(r -> {
      if (r == null) {
        return Future.failedFuture(ApiErrors.notFound(runId == null ? "A finished reconciler run"
            : "Reconciler run " + runId));
      }
      return runs.drift(UUID.fromString(r.getString("id")), kind, after, limit).map(items -> new JsonObject()
          .put("run", r).put("counts", r.getValue("counts")).put("items", items)
          .put("next", items.size() < limit ? null : items.getJsonObject(items.size() - 1).getInteger("seq")));
    }).compose(page -> Responses.ok(rc, page)).onFailure(rc::fail);
  }
}
