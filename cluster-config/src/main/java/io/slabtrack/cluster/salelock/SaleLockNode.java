package io.slabtrack.cluster.salelock;

import io.slabtrack.cluster.app.NodeServices;
import io.vertx.core.Future;

/** Per node, whatever apps it runs: the bus API of the locks and the expiry sweeper (of the partitions this member owns). */
public final class SaleLockNode {
  private SaleLockNode() {
  }

  public static Future<Void> deploy(NodeServices node) {
    var vertx = node.cluster().vertx();
    return node.saleLocks().open()
        .compose(x -> vertx.deployVerticle(new SaleLockBusVerticle(node.saleLocks())))
        .compose(x -> vertx.deployVerticle(new SaleLockSweeper(node.saleLocks())))
        .mapEmpty();
  }
}
