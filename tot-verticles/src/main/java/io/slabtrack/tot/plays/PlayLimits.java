package io.slabtrack.tot.plays;

import io.slabtrack.cluster.app.AppContext;
import io.slabtrack.cluster.http.ClientAddress;
import io.slabtrack.cluster.limits.BuyerLimitSettings;
import io.slabtrack.cluster.limits.BuyerLimits;
import io.slabtrack.cluster.limits.HoldSettler;

/** ToT's buyer limits: a play counts as pending while it is committed and unpaid, for at most its locks' TTL. */
public final class PlayLimits {
  static final String STILL_COMMITTED = "EXISTS (SELECT 1 FROM plays p WHERE p.id = h.ref AND p.status = 'COMMITTED')";

  private PlayLimits() {
  }

  /** Ends the holds of plays no longer committed-and-unpaid, so the pending counts walk only live ones. */
  public static HoldSettler settler(AppContext ctx) {
    return new HoldSettler(ctx.pool(), STILL_COMMITTED);
  }

  public static BuyerLimits of(AppContext ctx) {
    return new BuyerLimits(ctx.pool(), BuyerLimitSettings.from(ctx.config().settings(), ctx.config().mode()),
        ClientAddress.fromSettings(ctx.config().settings()), STILL_COMMITTED, PlayCommit.LOCK_TTL, "plays");
  }
}
