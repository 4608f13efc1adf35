package io.slabtrack.cluster.outbox;

import io.slabtrack.cluster.bus.Addresses;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Tuning of an {@link OutboxRelayVerticle}.
 *
 * @param batchSize            rows claimed per pass (distinct aggregates; sent in envelopes of up to 500 per address)
 * @param pollMillis           backstop poll period; LISTEN/NOTIFY normally wakes the relay sooner
 * @param requestTimeoutMillis how long one delivery waits for the receiver's reply
 * @param backoffBaseMillis    first retry delay; doubles with each failed attempt
 * @param backoffCapMillis     the longest retry delay
 * @param maxFailures          failures of the poison kind (our reply handler failed, the receiver's handler answered
 *                             500) after which a message is dead-lettered ({@code OUTBOX_MAX_FAILURES}, default 20);
 *                             "the receiver is not there" (no handler, timeout, 503, 401) never counts
 * @param holdingAddresses     addresses whose dead messages keep holding their aggregate (order matters there);
 *                             a dead message of any other address lets its aggregate's next messages go on
 * @param followers            rows of an aggregate a pass may deliver after its head, each once the one before it
 *                             was acknowledged (0: only heads, one row per aggregate a pass)
 */
public record RelayOptions(int batchSize, long pollMillis, long requestTimeoutMillis, long backoffBaseMillis,
                           long backoffCapMillis, int maxFailures, Set<String> holdingAddresses, int followers) {
  public static final int DEFAULT_MAX_FAILURES = 20;
  /**
   * A sale claim and its release are about the same cards in a fixed order: a release must never overtake the claim
   * it releases, nor a later claim step a dead one. Everything else may skip a dead message: card publishes carry
   * versions (the receiver drops older ones), ledger events carry occurredAt (an older one never rolls the state
   * back), mails and lock notices stand alone.
   */
  public static final Set<String> ORDERED_ADDRESSES = Set.of(Addresses.CORE_SALE_CLAIM, Addresses.CORE_SALE_RELEASE);

  public RelayOptions {
    if (batchSize < 1 || pollMillis < 1 || requestTimeoutMillis < 1 || backoffBaseMillis < 1
        || backoffCapMillis < backoffBaseMillis || maxFailures < 1 || holdingAddresses == null || followers < 0) {
      throw new IllegalArgumentException("invalid relay options: " + this);
    }
    holdingAddresses = Set.copyOf(holdingAddresses);
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
    // 500 rows a pass: with batch envelopes a pass costs a few statements and bus messages whatever its size
    // up to 10 rows of an aggregate a pass: a burst on few aggregates needs no claim per row of each
    return new RelayOptions(500, 1_000, 10_000, 200, 60_000, DEFAULT_MAX_FAILURES, ORDERED_ADDRESSES, 9);
  }

  public RelayOptions withBatchSize(int n) {
    return new RelayOptions(n, pollMillis, requestTimeoutMillis, backoffBaseMillis, backoffCapMillis, maxFailures,
        holdingAddresses, followers);
  }

  public RelayOptions withPollMillis(long ms) {
    return new RelayOptions(batchSize, ms, requestTimeoutMillis, backoffBaseMillis, backoffCapMillis, maxFailures,
        holdingAddresses, followers);
  }

  public RelayOptions withRequestTimeoutMillis(long ms) {
    return new RelayOptions(batchSize, pollMillis, ms, backoffBaseMillis, backoffCapMillis, maxFailures,
        holdingAddresses, followers);
  }

  public RelayOptions withBackoff(long baseMs, long capMs) {
    return new RelayOptions(batchSize, pollMillis, requestTimeoutMillis, baseMs, capMs, maxFailures,
        holdingAddresses, followers);
  }

  public RelayOptions withMaxFailures(int n) {
    return new RelayOptions(batchSize, pollMillis, requestTimeoutMillis, backoffBaseMillis, backoffCapMillis, n,
        holdingAddresses, followers);
  }

  public RelayOptions withHoldingAddresses(Set<String> addresses) {
    return new RelayOptions(batchSize, pollMillis, requestTimeoutMillis, backoffBaseMillis, backoffCapMillis,
        maxFailures, addresses, followers);
  }

  public RelayOptions withFollowers(int n) {
    return new RelayOptions(batchSize, pollMillis, requestTimeoutMillis, backoffBaseMillis, backoffCapMillis,
        maxFailures, holdingAddresses, n);
  }

  /**
   * Until when (after its claim) a pass may still start delivering a follower: its last request then ends before the
   * lease runs out, so no other relay claims the head while the pass is still sending that aggregate's rows.
   */
  public long followersUntilMillis() {
    return Math.max(0, leaseMillis() - requestTimeoutMillis - 5_000);
  }

  /** True when a dead message of {@code address} must keep its aggregate's later messages waiting. */
  public boolean holdsAggregate(String address) {
    return holdingAddresses.contains(address);
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
