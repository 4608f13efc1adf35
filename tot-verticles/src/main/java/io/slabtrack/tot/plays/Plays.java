package io.slabtrack.tot.plays;

import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.tot.fairness.SeedVault;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.regex.Pattern;

/**
 * A play read and its client seed set by its unguessable id, for the API ({@link PlaysRoutes}) and the play page
 * alike: the same JSON ({@link PlayJson}), the same rules for the seed.
 */
public final class Plays {
  private static final Pattern CLIENT_SEED = Pattern.compile("[\\x21-\\x7e][\\x20-\\x7e]{0,62}[\\x21-\\x7e]|[\\x21-\\x7e]");

  private final Pool pool;
  private final SeedVault vault;

  public Plays(Pool pool, SeedVault vault) {
    this.pool = pool;
    this.vault = vault;
  }

  /** The play as {@code GET /api/play/{id}} answers it; 404 when there is none. */
  public Future<JsonObject> json(String playId) {
    return pool.preparedQuery(PlaysSql.BY_ID).execute(Tuple.of(playId)).map(rows -> {
      if (rows.rowCount() == 0) {
        throw ApiErrors.notFound("Play");
      }
      return PlayJson.of(rows.iterator().next(), vault);
    });
  }

  /**
   * The buyer's client seed, before payment only (400 for a bad seed, 404, 409 once it can't change any more);
   * setting the same value again is a no-op.
   */
  public Future<JsonObject> setClientSeed(String playId, Object seed) {
    if (!(seed instanceof String s) || !CLIENT_SEED.matcher(s).matches()) {
      return Future.failedFuture(ApiErrors.invalidField("clientSeed",
          "clientSeed: 1–64 printable ASCII characters, no outer spaces"));
    }
    return pool.preparedQuery(PlaysSql.SET_CLIENT_SEED).execute(Tuple.of(playId, s)).compose(rows -> {
      if (rows.rowCount() == 1) {
        return Future.succeededFuture(PlayJson.of(rows.iterator().next(), vault));
      }
      return json(playId).map(found -> {
        throw ApiErrors.conflict("client_seed_locked",
            "The client seed can't change any more: it was set already, or the play is paid or closed");
      });
    });
  }
}
