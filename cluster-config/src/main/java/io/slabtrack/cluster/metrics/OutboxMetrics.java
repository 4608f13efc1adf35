package io.slabtrack.cluster.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.slabtrack.cluster.config.AppName;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One app's outbox: what its relays delivered, retried and dead-lettered on this node (counters), and the state of
 * its whole outbox table as last read by {@code OutboxGauges} (gauges: a periodic query, never one per scrape).
 */
public final class OutboxMetrics {
  private final Counter delivered;
  private final Counter retried;
  private final Counter deadLettered;
  private final AtomicLong pending = new AtomicLong();
  private final AtomicLong dead = new AtomicLong();
  private final AtomicLong oldestPendingAgeSeconds = new AtomicLong();

  OutboxMetrics(MeterRegistry registry, AppName app) {
    Tags tags = Tags.of("app", app.id());
    delivered = Counter.builder("slabtrack.outbox.delivered").tags(tags)
        .description("Outbox messages delivered (acknowledged by the receiver)").register(registry);
    retried = Counter.builder("slabtrack.outbox.retried").tags(tags)
        .description("Outbox deliveries that failed and were scheduled again").register(registry);
    deadLettered = Counter.builder("slabtrack.outbox.dead.lettered").tags(tags)
        .description("Outbox messages given up on (status dead): each needs an operator").register(registry);
    Gauge.builder("slabtrack.outbox.pending", pending, AtomicLong::get).tags(tags).strongReference(true)
        .description("Outbox rows waiting for delivery").register(registry);
    Gauge.builder("slabtrack.outbox.dead", dead, AtomicLong::get).tags(tags).strongReference(true)
        .description("Outbox rows dead-lettered and still in the table").register(registry);
    Gauge.builder("slabtrack.outbox.oldest.pending.age", oldestPendingAgeSeconds, AtomicLong::get).tags(tags)
        .strongReference(true).baseUnit("seconds")
        .description("Age of the oldest pending outbox row (0 when none)").register(registry);
  }

  public static OutboxMetrics of(Vertx vertx, AppName app) {
    return NodeMetrics.shared(vertx, "outbox:" + app.id(), r -> new OutboxMetrics(r, app));
  }

  public void delivered(int count) {
    delivered.increment(count);
  }

  public void retried() {
    retried.increment();
  }

  public void deadLettered() {
    deadLettered.increment();
  }

  /** What the periodic read of the outbox table found. */
  public void table(long pendingRows, long deadRows, long oldestPendingSeconds) {
    pending.set(pendingRows);
    dead.set(deadRows);
    oldestPendingAgeSeconds.set(oldestPendingSeconds);
  }
}
