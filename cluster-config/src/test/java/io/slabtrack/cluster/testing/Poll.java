package io.slabtrack.cluster.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting on a condition in tests: poll, never sleep a fixed time for a result. */
public final class Poll {
  private Poll() {
  }

  public static void until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }
}
