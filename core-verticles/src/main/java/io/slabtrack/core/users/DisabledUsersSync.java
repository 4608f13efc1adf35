package io.slabtrack.core.users;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Core keeps the cluster-wide disabled-user map equal to its database: once at start (the map is empty after a
 * full cluster restart), then every half minute, which repairs a publish that failed after its commit. Operator
 * changes are published immediately by {@link UserStore}; this is the backstop that keeps the one-minute promise.
 */
public final class DisabledUsersSync extends VerticleBase {
  static final long PERIOD_MS = 30_000;
  private static final Logger LOG = LoggerFactory.getLogger(DisabledUsersSync.class);

  private final UserStore users;

  public DisabledUsersSync(UserStore users) {
    this.users = users;
  }

  @Override
  public Future<?> start() {
    return users.publishDisabled().onSuccess(x -> vertx.setPeriodic(PERIOD_MS, id -> users.publishDisabled()
        .onFailure(e -> LOG.warn("could not re-publish disabled users: {}", e.toString()))));
  }
}
