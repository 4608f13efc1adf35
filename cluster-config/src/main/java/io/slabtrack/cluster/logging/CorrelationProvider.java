package io.slabtrack.cluster.logging;

import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.spi.VertxServiceProvider;
import io.vertx.core.spi.context.storage.ContextLocal;

/**
 * Holds {@link Correlation}'s context local. Vert.x fixes the set of context locals when an instance is created,
 * after it has instantiated its service providers, so a static field of a provider is the supported place to
 * register one (ContextLocal's javadoc); META-INF/services names this class.
 */
public final class CorrelationProvider implements VertxServiceProvider {
  static final ContextLocal<Correlation.Fields> FIELDS = ContextLocal.registerLocal(Correlation.Fields.class);

  @Override
  public void init(VertxBootstrap builder) {
    // nothing to configure: loading this class registered the local
  }
}
