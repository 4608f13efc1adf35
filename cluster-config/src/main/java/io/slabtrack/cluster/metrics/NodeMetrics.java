package io.slabtrack.cluster.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.function.Function;

/**
 * One Prometheus registry per Vert.x instance (per node): Vert.x's own HTTP, event-bus, pool and JVM meters and
 * SlabTrack's domain meters land in it, and {@code GET /metrics} ({@link MetricsRoutes}) prints it. The registry
 * is remembered against its Vert.x instance so that any class holding a {@code Vertx} gets its node's typed facade
 * ({@link OutboxMetrics#of}, ...) without a registry being threaded through every constructor; a Vert.x built
 * without it (unit tests) gets a no-op registry.
 */
public final class NodeMetrics {
  private static final Map<Vertx, PrometheusMeterRegistry> BY_VERTX = Collections.synchronizedMap(new WeakHashMap<>());
  /** A composite with no registries records nothing: the meters of a Vert.x without metrics. */
  private static final MeterRegistry NOOP = new CompositeMeterRegistry();
  private static final Map<MeterRegistry, Map<String, Object>> FACADES = new WeakHashMap<>();

  private NodeMetrics() {
  }

  public static PrometheusMeterRegistry newRegistry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /**
   * Vert.x's metrics on, with JVM meters, and only the default labels (method, status code, pool and bus kinds):
   * no request path or remote address, whose values are unbounded.
   */
  public static MicrometerMetricsOptions options() {
    return new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true);
  }

  /** Feeds Vert.x's own meters into {@code registry}: {@code Vertx.builder().withMetrics(factory(registry))}. */
  public static VertxMetricsFactory factory(PrometheusMeterRegistry registry) {
    return new MicrometerMetricsFactory(registry);
  }

  public static void attach(Vertx vertx, PrometheusMeterRegistry registry) {
    BY_VERTX.put(vertx, registry);
  }

  /** The node's Prometheus registry, when this Vert.x was built with one. */
  public static Optional<PrometheusMeterRegistry> prometheus(Vertx vertx) {
    return vertx == null ? Optional.empty() : Optional.ofNullable(BY_VERTX.get(vertx));
  }

  /**
   * The one facade of its kind for this node's registry (made on first use): gauges read state the facade
   * holds, so an app restarted on a node must find the same facade, not register a second one that Micrometer
   * would ignore.
   */
  static <T> T shared(Vertx vertx, String key, Function<MeterRegistry, T> make) {
    MeterRegistry registry = registry(vertx);
    synchronized (FACADES) {
      @SuppressWarnings("unchecked")
      T facade = (T) FACADES.computeIfAbsent(registry, r -> new HashMap<>()).computeIfAbsent(key, k -> make.apply(registry));
      return facade;
    }
  }

  /** The registry domain meters go to: the node's, or a no-op one. */
  public static MeterRegistry registry(Vertx vertx) {
    return prometheus(vertx).<MeterRegistry>map(r -> r).orElse(NOOP);
  }
}
