package io.slabtrack.cluster.testing;

import io.slabtrack.cluster.limits.RateLimiter;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * For tests that count requests up to a rate limit and expect the next one refused: rate limits count in fixed
 * windows ({@link RateLimiter#windowStart}), and a test that straddles a window's end sees its count restart and
 * the refusal not come. Every window these tests use (10 minutes, 15 minutes, a day) ends on a five-minute mark
 * of the epoch, so before each test this waits, when the next mark is closer than {@link #ROOM}, until it has passed.
 */
public final class RateWindowRoom implements BeforeEachCallback {
  private static final Logger LOG = LoggerFactory.getLogger(RateWindowRoom.class);
  /** The marks every window of the tests' limits ends on. */
  static final Duration MARKS = Duration.ofMinutes(5);
  /** Longer than any one limit test runs, short enough to cost little (a test waits in 1 run of 15, ~10 s). */
  static final Duration ROOM = Duration.ofSeconds(20);

  @Override
  public void beforeEach(ExtensionContext context) throws InterruptedException {
    long untilMark = RateLimiter.windowStart(MARKS) + MARKS.toSeconds() - Instant.now().getEpochSecond();
    if (untilMark < ROOM.toSeconds()) {
      LOG.info("{}: a rate window ends in {} s; waiting for the next one", context.getDisplayName(), untilMark);
      Thread.sleep((untilMark + 1) * 1000);
    }
  }
}
