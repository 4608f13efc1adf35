package io.slabtrack.launcher.runtime;

import io.slabtrack.cluster.app.RunningNode;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.config.NodeConfig;
import io.slabtrack.cluster.config.Settings;
import io.slabtrack.launcher.bench.BenchNodes;
import io.vertx.core.Future;
import java.util.List;

/** The nodes of the benchmarks (dev-tools): the same NodeStarter as {@code node --app ...}. */
public final class LauncherBenchNodes implements BenchNodes {

  @Override
  public Future<RunningNode> start(NodeConfig config, Settings settings, List<AppName> apps) {
    return NodeStarter.start(config, settings, apps.stream().map(Apps::of).toList(), false);
  }
}
