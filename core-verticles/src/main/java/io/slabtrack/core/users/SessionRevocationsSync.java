package io.slabtrack.core.users;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Core keeps the cluster-wide disabled-user and sessions-valid-after maps equal to its database: once at start (the
 * maps are empty after a full cluster restart), then every half minute, which repairs a publish that failed after
 * its commit. Operator changes are published immediately by {@link UserStore}; this is the backstop.
 */
public final class SessionRevocationsSync extends VerticleBase {
  static final long PERIOD_MS = 30_000;
  private static final Logger LOG = LoggerFactory.getLogger(SessionRevocationsSync.class);

  private final UserStore users;

  public SessionRevocationsSync(UserStore users) {
    this.users = users;
  }

  @Override
  public Future<?> start() {
    return users.publishRevocations().onSuccess(x -> vertx.setPeriodic(PERIOD_MS, id -> users.publishRevocations()
        .onFailure(e -> LOG.warn("could not re-publish disabled users and session revocations: {}", e.toString()))));
  }
}
