package io.slabtrack.tot.plays;

import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.JsonBody;
import io.slabtrack.cluster.http.Responses;
import io.slabtrack.cluster.limits.BuyerLimits;
import io.slabtrack.tot.fairness.SeedVault;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.regex.Pattern;

/** The buyer's play routes: commit a Flip or a Pull, post a client seed, read a play (public by its secret id). */
public final class PlaysRoutes {
  private static final Pattern CLIENT_SEED = Pattern.compile("[\\x21-\\x7e][\\x20-\\x7e]{0,62}[\\x21-\\x7e]|[\\x21-\\x7e]");
  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,200}");

  private final Pool pool;
  private final PlayCommit commit;
  private final SeedVault vault;
  private final BuyerLimits limits;

  public PlaysRoutes(Pool pool, PlayCommit commit, SeedVault vault, BuyerLimits limits) {
    this.pool = pool;
    this.commit = commit;
    this.vault = vault;
    this.limits = limits;
  }

  public void mount(Router router) {
    router.post("/api/play/flip").handler(ctx -> play(ctx, "FLIP"));
    router.post("/api/play/pull").handler(ctx -> play(ctx, "PULL"));
    router.post("/api/play/:id/client-seed").handler(this::clientSeed);
    router.get("/api/play/:id").handler(this::one);
  }

  private void play(RoutingContext ctx, String game) {
    PlayRequest request = PlayRequest.parse(JsonBody.object(ctx));
    String key = ctx.request().getHeader("Idempotency-Key");
    if (key != null && !IDEMPOTENCY_KEY.matcher(key).matches()) {
      throw ApiErrors.badRequest("invalid_idempotency_key", "Idempotency-Key: 1–200 printable characters",
          "Idempotency-Key");
    }
    limits.guard(ctx, request.email(), key, () -> commit.commit(game, request, key), body -> body.getString("playId"))
        .compose(body -> Responses.created(ctx, "/api/play/" + body.getString("playId"), body))
        .onFailure(ctx::fail);
  }

  private void clientSeed(RoutingContext ctx) {
    String playId = ctx.pathParam("id");
    Object seed = JsonBody.object(ctx).getValue("clientSeed");
    if (!(seed instanceof String s) || !CLIENT_SEED.matcher(s).matches()) {
      throw ApiErrors.invalidField("clientSeed", "clientSeed: 1–64 printable ASCII characters, no outer spaces");
    }
    pool.preparedQuery(PlaysSql.SET_CLIENT_SEED).execute(Tuple.of(playId, seed)).compose(rows -> {
      if (rows.rowCount() == 1) {
        return Responses.ok(ctx, PlayJson.of(rows.iterator().next(), vault));
      }
      return pool.preparedQuery(PlaysSql.BY_ID).execute(Tuple.of(playId)).compose(found -> {
        if (found.rowCount() == 0) {
          throw ApiErrors.notFound("Play");
        }
        throw ApiErrors.conflict("client_seed_locked",
            "The client seed can't change any more: it was set already, or the play is paid or closed");
      });
    }).onFailure(ctx::fail);
  }

  private void one(RoutingContext ctx) {
    pool.preparedQuery(PlaysSql.BY_ID).execute(Tuple.of(ctx.pathParam("id"))).compose(rows -> {
      if (rows.rowCount() == 0) {
        throw ApiErrors.notFound("Play");
      }
      return Responses.ok(ctx, PlayJson.of(rows.iterator().next(), vault));
    }).onFailure(ctx::fail);
  }
}
