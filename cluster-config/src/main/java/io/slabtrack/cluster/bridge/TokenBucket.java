package io.slabtrack.cluster.bridge;

/** A token bucket: {@code perSecond} frames a second on average, bursts up to {@code capacity}. */
final class TokenBucket {
  private final double perNano;
  private final long capacity;
  private double available;
  private long last;

  TokenBucket(int perSecond, long capacity, long nowNanos) {
    this.perNano = perSecond / 1e9;
    this.capacity = capacity;
    this.available = capacity;
    this.last = nowNanos;
  }

  synchronized boolean take(long nowNanos) {
    available = Math.min(capacity, available + (nowNanos - last) * perNano);
    last = nowNanos;
    if (available < 1) {
      return false;
    }
    available -= 1;
    return true;
  }
}
