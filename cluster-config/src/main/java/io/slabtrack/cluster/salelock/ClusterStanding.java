package io.slabtrack.cluster.salelock;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.splitbrainprotection.SplitBrainProtection;
import io.slabtrack.cluster.hazelcast.HazelcastConfigFactory;
import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.ApiException;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * Whether this member may take sale-lock calls right now, decided locally in microseconds so that a member on the
 * wrong side of a split answers 503 at once instead of waiting for a partition owner it can't reach:
 * <ul>
 *   <li>the split-brain protection (recent heartbeats from at least {@code HZ_MIN_MEMBERS - 1} peers);</li>
 *   <li>no pause of this JVM (SIGSTOP, a long GC, a frozen VM) of 4 s or more in the last
 *   {@value HazelcastConfigFactory#MAX_NO_HEARTBEAT_SECONDS} s: the others may have removed this member and moved
 *   its partitions meanwhile, while its own partition table still says it owns them. Until Hazelcast here has
 *   noticed, a lock taken on such a stale partition would be a second grant; so a resumed member refuses first.</li>
 * </ul>
 * The pause is seen by a watch thread: when it last woke too long ago (or finds its own gap), the JVM stood still.
 */
final class ClusterStanding {
  static final int RETRY_AFTER_SECONDS = HazelcastConfigFactory.MAX_NO_HEARTBEAT_SECONDS;
  private static final long TICK_MS = 250;
  /**
   * A pause shorter than the no-heartbeat timeout (less a heartbeat's slack) can't have got this member removed, so
   * its partition table is still true: only longer ones quarantine (a busy machine's hiccups don't).
   */
  private static final long PAUSE_NANOS = (HazelcastConfigFactory.MAX_NO_HEARTBEAT_SECONDS - 1) * 1_000_000_000L;
  private static final long QUARANTINE_NANOS = HazelcastConfigFactory.MAX_NO_HEARTBEAT_SECONDS * 1_000_000_000L;

  private final HazelcastInstance hazelcast;
  private volatile SplitBrainProtection protection;

  ClusterStanding(HazelcastInstance hazelcast) {
    this.hazelcast = hazelcast;
  }

  /**
   * Starts the JVM's pause watch (once per JVM: a pause stops every thread). A daemon thread of its own, not an
   * event-loop timer: a busy event loop runs its timers late without the JVM having stood still.
   */
  void watch() {
    PauseWatch.start();
  }

  /** Empty when lock calls may go to the cluster; else the 503 to answer. */
  Optional<ApiException> refusal() {
    if (PauseWatch.quarantined(System.nanoTime())) {
      return Optional.of(unavailable("paused", "This node was paused and is checking that it is still part of "
          + "the cluster; nothing was locked. Try again shortly."));
    }
    SplitBrainProtection p = protection();
    if (p != null && !p.hasMinimumSize()) {
      return Optional.of(belowMinimum());
    }
    return Optional.empty();
  }

  private SplitBrainProtection protection() {
    SplitBrainProtection p = protection;
    if (p == null) {
      try {
        p = hazelcast.getSplitBrainProtectionService()
            .getSplitBrainProtection(HazelcastConfigFactory.SPLIT_BRAIN_PROTECTION);
        protection = p;
      } catch (RuntimeException noSuchProtection) {
        return null; // a config without it (a test's bare Hazelcast): the map decides alone
      }
    }
    return p;
  }

  static ApiException belowMinimum() {
    return unavailable("below_split_brain_minimum", "Too few cluster members are reachable to lock cards safely; "
        + "nothing was locked. Try again shortly.");
  }

  static ApiException deadlineMissed() {
    return unavailable("deadline", "The cluster did not answer the lock call in time (a member may be cut off); "
        + "nothing was locked. Try again shortly.");
  }

  /** 503 {@code cluster_unavailable} with Retry-After; {@code details.reason} says why. */
  static ApiException unavailable(String reason, String message) {
    return new ApiException(503, "cluster_unavailable", message,
        new JsonObject().put("reason", reason).put("retryAfterSeconds", RETRY_AFTER_SECONDS));
  }

  /** The JVM-wide pause watch: a thread that wakes every 250 ms and notices when it could not. */
  private static final class PauseWatch {
    private static volatile boolean started;
    private static volatile long lastTick = System.nanoTime();
    private static volatile long quarantinedUntil = System.nanoTime();

    static synchronized void start() {
      if (started) {
        return;
      }
      started = true;
      lastTick = System.nanoTime();
      Thread watch = new Thread(() -> {
        while (true) {
          try {
            Thread.sleep(TICK_MS);
          } catch (InterruptedException e) {
            return;
          }
          long now = System.nanoTime();
          quarantined(now);
          lastTick = now;
        }
      }, "slabtrack-pause-watch");
      watch.setDaemon(true);
      watch.start();
    }

    /**
     * True while a pause keeps this member in quarantine. A caller may run before the watch after a resume, so it
     * looks at the watch's gap too.
     */
    static boolean quarantined(long now) {
      if (!started) {
        return false;
      }
      if (now - lastTick > PAUSE_NANOS && now - quarantinedUntil > 0) {
        quarantinedUntil = now + QUARANTINE_NANOS;
      }
      return quarantinedUntil - now > 0;
    }
  }
}
