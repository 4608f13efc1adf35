package io.slabtrack.cluster.app;

import io.slabtrack.cluster.auth.AuthHandlers;
import io.slabtrack.cluster.auth.DisabledUsers;
import io.slabtrack.cluster.auth.JwtKeys;
import io.slabtrack.cluster.auth.SessionsValidAfter;
import io.slabtrack.cluster.auth.TokenService;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.config.NodeConfig;
import io.slabtrack.cluster.config.PgSettings;
import io.slabtrack.cluster.hazelcast.ClusterNode;
import io.slabtrack.cluster.outbox.ReplyHandlers;
import io.slabtrack.cluster.salelock.SaleLocks;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

/** The shared pieces one app on one node works with. Built by {@link AppRuntime}; handed to the app's module. */
public record AppContext(
    AppName app,
    NodeConfig config,
    ClusterNode cluster,
    PgSettings database,
    Pool pool,
    JwtKeys jwtKeys,
    TokenService tokens,
    AuthHandlers auth,
    ReplyHandlers replyHandlers,
    SaleLocks saleLocks,
    DisabledUsers disabledUsers,
    SessionsValidAfter sessionsValidAfter) {

  public Vertx vertx() {
    return cluster.vertx();
  }
}
