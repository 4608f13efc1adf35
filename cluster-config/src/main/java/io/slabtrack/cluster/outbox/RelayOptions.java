package io.slabtrack.cluster.outbox;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Tuning of an {@link OutboxRelayVerticle}.
 *
 * @param batchSize            rows claimed per transaction (distinct aggregates, delivered in parallel)
 * @param pollMillis           backstop poll period; LISTEN/NOTIFY normally wakes the relay sooner
 * @param requestTimeoutMillis how long one delivery waits for the receiver's reply
 * @param backoffBaseMillis    first retry delay; doubles with each failed attempt
 * @param backoffCapMillis     the longest retry delay
 */
public record RelayOptions(int batchSize, long pollMillis, long requestTimeoutMillis, long backoffBaseMillis,
                           long backoffCapMillis) {

  public RelayOptions {
    if (batchSize < 1 || pollMillis < 1 || requestTimeoutMillis < 1 || backoffBaseMillis < 1
        || backoffCapMillis < backoffBaseMillis) {
      throw new IllegalArgumentException("invalid relay options: " + this);
    }
  }

  /**
   * How long a claimed row is kept from other relays: the request timeout plus time for the reply handlers' slow
   * steps and the recording. A relay that dies mid-batch delays its rows by this much; one that outruns it (a very
   * slow Stripe) only makes another relay deliver the row again, which the inbox and the conditional recording absorb.
   */
  public long leaseMillis() {
    return requestTimeoutMillis + 15_000;
  }

  public static RelayOptions defaults() {
    return new RelayOptions(100, 1_000, 10_000, 200, 60_000);
  }

  public RelayOptions withBatchSize(int n) {
    return new RelayOptions(n, pollMillis, requestTimeoutMillis, backoffBaseMillis, backoffCapMillis);
  }

  public RelayOptions withPollMillis(long ms) {
    return new RelayOptions(batchSize, ms, requestTimeoutMillis, backoffBaseMillis, backoffCapMillis);
  }

  public RelayOptions withRequestTimeoutMillis(long ms) {
    return new RelayOptions(batchSize, pollMillis, ms, backoffBaseMillis, backoffCapMillis);
  }

  public RelayOptions withBackoff(long baseMs, long capMs) {
    return new RelayOptions(batchSize, pollMillis, requestTimeoutMillis, baseMs, capMs);
  }

  /**
   * Delay before the next try after {@code failedAttempts} failures: capped exponential with "equal jitter"
   * (half fixed, half random), so relays retrying a recovered receiver do not all arrive at once.
   */
  public long backoffMillis(int failedAttempts) {
    int doublings = Math.max(0, Math.min(failedAttempts - 1, 30));
    long ceiling = Math.min(backoffCapMillis, backoffBaseMillis << doublings);
    long half = ceiling / 2;
    return half + ThreadLocalRandom.current().nextLong(ceiling - half + 1);
  }
}
