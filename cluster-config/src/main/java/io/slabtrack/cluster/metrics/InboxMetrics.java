package io.slabtrack.cluster.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;

/**
 * The receiving side of durable delivery, per bus address (a fixed, short list): messages applied for the first
 * time, redeliveries answered from the inbox without applying again, and messages refused (by error code).
 * The app tag is the address's owner, its first segment ({@code core.sale.claim} → core).
 */
public final class InboxMetrics {
  private final MeterRegistry registry;

  InboxMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public static InboxMetrics of(Vertx vertx) {
    return NodeMetrics.shared(vertx, "inbox", InboxMetrics::new);
  }

  public void applied(String address) {
    counter("slabtrack.inbox.applied", "Inbox messages applied the first time", address).increment();
  }

  public void duplicate(String address) {
    counter("slabtrack.inbox.duplicates", "Redeliveries answered with the first reply, not applied again", address)
        .increment();
  }

  public void rejected(String address, int code) {
    Counter.builder("slabtrack.inbox.rejected").description("Inbox messages refused, by status code")
        .tags("app", owner(address), "address", address, "code", String.valueOf(code)).register(registry).increment();
  }

  private Counter counter(String name, String description, String address) {
    return Counter.builder(name).description(description).tags("app", owner(address), "address", address)
        .register(registry);
  }

  static String owner(String address) {
    int dot = address.indexOf('.');
    return dot < 0 ? address : address.substring(0, dot);
  }
}
