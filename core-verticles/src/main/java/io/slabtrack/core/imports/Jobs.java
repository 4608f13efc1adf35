package io.slabtrack.core.imports;

import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.cluster.http.Responses;
import io.slabtrack.core.api.OperatorApi;
import io.slabtrack.core.api.VendorAccess;
import java.util.Optional;
import io.slabtrack.cluster.auth.AuthHandlers;
import io.slabtrack.cluster.http.ApiErrors;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * {@code POST /api/cards/import} (202 with the job) and {@code GET /api/jobs/{id}} (its progress; a running job whose
 * node stopped is failed as it is read, so the operator sees it is dead and where it stopped).
 */
public final class Jobs implements OperatorApi.Feature {
  private final Pool pool;
  private final CardImport imports;

  public Jobs(Pool pool, CardImport imports) {
    this.pool = pool;
    this.imports = imports;
  }

  @Override
  public void bind(OperatorApi.Binder api) {
    api.on("importCards", this::importCards);
    api.on("getJob", this::get);
  }

  @Override
  public void mountUnvalidated(Router router) {
    router.post("/api/cards/import").consumes("text/csv").handler(this::importCsv);
  }

  private void importCsv(RoutingContext rc) {
    JsonArray rows = CsvCards.parse(rc.body().asString());
    start(rc, rows);
  }

  private void importCards(RoutingContext rc) {
    JsonArray rows;
    try {
      rows = rc.body().asJsonArray();
    } catch (RuntimeException e) {
      throw ApiErrors.badRequest("invalid_json", "The body must be a JSON array of cards", "body");
    }
    start(rc, rows);
  }

  private void start(RoutingContext rc, JsonArray rows) {
    if (rows == null || rows.isEmpty() || rows.size() > CardImport.MAX_ROWS) {
      throw ApiErrors.invalidField("body", "an import has 1 to " + CardImport.MAX_ROWS + " cards");
    }
    imports.start(rows, AuthHandlers.principal(rc).subject())
        .onSuccess(job -> {
          rc.response().putHeader("Location", job.getString("progressUrl"));
          Responses.accepted(rc, job);
        })
        .onFailure(rc::fail);
  }

  private void get(RoutingContext rc) {
    UUID id = UUID.fromString(rc.pathParam("id"));
    imports.liveness().failIfAbandoned(id)
        .compose(x -> pool.preparedQuery(ImportSql.GET).execute(Tuple.of(id)))
        .onSuccess(rows -> {
          Optional<String> owner = VendorAccess.ownerScope(rc);
          if (rows.size() == 0) {
            rc.fail(new ApiException(404, "not_found", "Job " + id + " not found"));
          } else if (owner.isPresent() && !owner.get().equals(rows.iterator().next().getString("created_by"))) {
            rc.fail(new ApiException(403, "not_your_job", "Job " + id + " is not yours: " + VendorAccess.RULE));
          } else {
            Responses.ok(rc, json(rows.iterator().next()));
          }
        })
        .onFailure(rc::fail);
  }

  static JsonObject json(Row r) {
    String id = r.getUUID("id").toString();
    return new JsonObject().put("id", id).put("kind", r.getString("kind")).put("status", r.getString("status"))
        .put("total", r.getInteger("total")).put("processed", r.getInteger("processed"))
        .put("succeeded", r.getInteger("succeeded")).put("failed", r.getInteger("failed"))
        .put("errors", r.getValue("errors")).put("message", r.getString("message"))
        .put("progressUrl", "/api/jobs/" + id)
        .put("createdAt", instant(r.getOffsetDateTime("created_at")))
        .put("finishedAt", instant(r.getOffsetDateTime("finished_at")));
  }

  private static String instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }
}
