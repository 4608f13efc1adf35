package io.slabtrack.cluster.app;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.config.AppName;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

/** Answers {@code <app>.ping} so operators (and tests) can see which node of an app the bus reaches. */
public final class PingVerticle extends VerticleBase {
  private final AppName app;
  private final String nodeId;

  public PingVerticle(AppName app, String nodeId) {
    this.app = app;
    this.nodeId = nodeId;
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().<JsonObject>consumer(Addresses.ping(app), msg -> msg.reply(new JsonObject()
            .put("app", app.id())
            .put("nodeId", nodeId)
            .put("pid", ProcessHandle.current().pid())
            .put("echo", msg.body() == null ? null : msg.body().getValue("echo"))))
        .completion();
  }
}
