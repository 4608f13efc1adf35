package io.slabtrack.cluster.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.slabtrack.cluster.bus.ChannelOwners;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Sale-locks, counted per checkout (one lockRef, however many cards) and tagged with the app that sells through
 * the lock's channel ({@code other} for a channel sold by hand). {@code held} is the number of locks whose
 * partition this member owns, read from Hazelcast's local statistics: summed over the members it is the cluster's.
 */
public final class SaleLockMetrics {
  private final MeterRegistry registry;
  /** Counters by name and channel: building a meter id per lock call cost more than the counting. */
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  SaleLockMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public static SaleLockMetrics of(Vertx vertx) {
    return NodeMetrics.shared(vertx, "salelocks", SaleLockMetrics::new);
  }

  /** @param ownedLocks a cheap, local read (no cluster call) */
  public void held(LongSupplier ownedLocks) {
    Gauge.builder("slabtrack.salelocks.held", ownedLocks, s -> s.getAsLong()).strongReference(true)
        .description("Sale-locks in the partitions this member owns").register(registry);
  }

  public void acquired(String channel) {
    counter("slabtrack.salelocks.acquired", "Checkouts that got all their sale-locks", channel).increment();
  }

  public void refused(String channel) {
    counter("slabtrack.salelocks.refused", "Checkouts refused because a card was locked by another", channel)
        .increment();
  }

  public void expired(String channel) {
    counter("slabtrack.salelocks.expired", "Sale-locks that ran out and were announced by the sweeper", channel)
        .increment();
  }

  public void forceReleased(String channel) {
    counter("slabtrack.salelocks.force.released", "Sale-locks an operator force-released", channel).increment();
  }

  private Counter counter(String name, String description, String channel) {
    return counters.computeIfAbsent(name + '\n' + channel, k -> register(name, description, channel));
  }

  private Counter register(String name, String description, String channel) {
    String app = ChannelOwners.appOf(channel).map(a -> a.id()).orElse("other");
    return Counter.builder(name).description(description).tag("app", app).register(registry);
  }
}
