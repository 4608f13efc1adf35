package io.slabtrack.launcher.runtime;

import io.slabtrack.cluster.app.RunningNode;
import io.slabtrack.cluster.config.NodeConfig;
import io.slabtrack.cluster.config.Settings;
import io.slabtrack.core.CoreApp;
import io.slabtrack.launcher.bench.CoreNodeStarter;
import io.vertx.core.Future;
import java.util.List;

/** The core node of the core benchmarks (dev-tools): the same NodeStarter as {@code node --app core}. */
public final class BenchCoreNodes implements CoreNodeStarter {

  @Override
  public Future<RunningNode> start(NodeConfig config, Settings settings) {
    return NodeStarter.start(config, settings, List.of(new CoreApp()), false);
  }
}
