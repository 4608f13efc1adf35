package io.slabtrack.tot.plays;

import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.JsonBody;
import io.slabtrack.cluster.http.Responses;
import io.slabtrack.cluster.limits.BuyerLimits;
import io.slabtrack.tot.fairness.SeedVault;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.regex.Pattern;

/** The buyer's play routes: commit a Flip or a Pull, post a client seed, read a play (public by its secret id). */
public final class PlaysRoutes {
  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,200}");

  private final Plays plays;
  private final PlayCommit commit;
  private final BuyerLimits limits;

  public PlaysRoutes(Pool pool, PlayCommit commit, SeedVault vault, BuyerLimits limits) {
    this.plays = new Plays(pool, vault);
    this.commit = commit;
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
    limits.guard(ctx, request.email(), key, hold -> commit.commit(game, request, key, hold))
        .compose(body -> Responses.created(ctx, "/api/play/" + body.getString("playId"), body))
        .onFailure(ctx::fail);
  }

  private void clientSeed(RoutingContext ctx) {
    plays.setClientSeed(ctx.pathParam("id"), JsonBody.object(ctx).getValue("clientSeed"))
        .compose(play -> Responses.ok(ctx, play)).onFailure(ctx::fail);
  }

  private void one(RoutingContext ctx) {
    plays.json(ctx.pathParam("id")).compose(play -> Responses.ok(ctx, play)).onFailure(ctx::fail);
  }
}
