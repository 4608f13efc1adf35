package io.slabtrack.cluster.app;

import io.vertx.core.Future;
import java.util.List;

/** A started JVM: its cluster member and the apps it runs. */
public record RunningNode(NodeServices services, List<AppRuntime> apps) {

  /** Apps first (HTTP drains, relays stop, pools close), then leave the cluster and close Vert.x. */
  public Future<Void> stop() {
    Future<Void> chain = Future.succeededFuture();
    for (AppRuntime app : apps) {
      chain = chain.compose(x -> app.stop().recover(e -> Future.succeededFuture()));
    }
    return chain.compose(x -> services.cluster().vertx().close());
  }
}
