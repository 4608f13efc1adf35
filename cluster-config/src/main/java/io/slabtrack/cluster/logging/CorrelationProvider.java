package io.slabtrack.cluster.logging;

import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.spi.VertxServiceProvider;

/**
 * Vert.x discovers service providers before it fixes the set of context locals, so loading this class (and with
 * it {@link Correlation#LOCAL}) here is the supported way to register one (ContextLocal's javadoc).
 */
public final class CorrelationProvider implements VertxServiceProvider {
  @Override
  public void init(VertxBootstrap builder) {
    // registration happens in Correlation's static initializer; touching the field loads it
    Correlation.LOCAL.getClass();
  }
}
