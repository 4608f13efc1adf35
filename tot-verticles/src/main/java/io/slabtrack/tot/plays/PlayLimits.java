package io.slabtrack.tot.plays;

import io.slabtrack.cluster.app.AppContext;
import io.slabtrack.cluster.http.ClientAddress;
import io.slabtrack.cluster.limits.BuyerLimitSettings;
import io.slabtrack.cluster.limits.BuyerLimits;

/** ToT's buyer limits: a play counts as pending while it is committed and unpaid, for at most its locks' TTL. */
public final class PlayLimits {
  static final String STILL_COMMITTED = "EXISTS (SELECT 1 FROM plays p WHERE p.id = h.ref AND p.status = 'COMMITTED')";

  private PlayLimits() {
  }

  public static BuyerLimits of(AppContext ctx) {
    return new BuyerLimits(ctx.pool(), BuyerLimitSettings.from(ctx.config().settings(), ctx.config().mode()),
        ClientAddress.fromSettings(ctx.config().settings()), STILL_COMMITTED, PlayCommit.LOCK_TTL, "plays");
  }
}
