package io.slabtrack.cluster.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waiting on a condition in tests: poll, never sleep a fixed time for a result. The one place tests wait, on
 * Awaitility; a timeout fails with what was awaited (and the last value seen, for {@link #until(String, Duration,
 * Callable, java.util.function.Predicate)}).
 */
public final class Poll {
  private static final Duration INTERVAL = Duration.ofMillis(50);

  private Poll() {
  }

  /** @throws InterruptedException kept for callers that handle it; Awaitility polls in this thread */
  public static void until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    try {
      Awaitility.await(what).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(INTERVAL).pollInSameThread()
          .until(condition::getAsBoolean);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("timed out after " + timeout + " waiting for " + what, e);
    }
  }

  /** Polls {@code probe} until its value satisfies {@code done}; returns that value. */
  public static <T> T until(String what, Duration timeout, Callable<T> probe, java.util.function.Predicate<T> done) {
    Object[] last = new Object[1];
    try {
      return Awaitility.await(what).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(INTERVAL).pollInSameThread()
          .until(() -> {
            T value = probe.call();
            last[0] = value;
            return value;
          }, done::test);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; last: " + last[0], e);
    }
  }
}
