package io.slabtrack.cluster.periodic;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job every node runs on a timer ({@link io.slabtrack.cluster.singleton.HourlyChore} is the one-node kind): the
 * subclass says what one pass does; this class runs it every period and never lets passes overlap — a pass still
 * running on a slow cluster or database is not joined by the next tick's, so they can't pile up and repeat each
 * other's work. The first pass comes after a random half to whole period when asked, so that the nodes of an app
 * started together don't query in step.
 */
public abstract class PeriodicPass extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(PeriodicPass.class);

  private long timer = -1;
  private boolean running;

  /** How often a pass starts. Read once, at deployment. */
  protected abstract long periodMillis();

  /** True to spread the first pass over the second half of the first period (nodes of an app start together). */
  protected boolean spreadFirstPass() {
    return true;
  }

  /** One pass. */
  protected abstract Future<?> pass();

  /** What a failed pass is called in the log (it is retried by the next tick). */
  protected abstract String passName();

  /** A failed pass: logged at debug by default, for passes whose failures are routine (a database down). */
  protected void failed(Throwable e) {
    LOG.debug("{} skipped: {}", passName(), e.toString());
  }

  @Override
  public Future<?> start() {
    long period = periodMillis();
    long first = spreadFirstPass() ? period / 2 + ThreadLocalRandom.current().nextLong(Math.max(1, period / 2)) : period;
    timer = vertx.setPeriodic(first, period, id -> passUnlessRunning());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  private void passUnlessRunning() {
    if (running) {
      return;
    }
    running = true;
    Future<?> pass;
    try {
      pass = pass();
    } catch (RuntimeException e) {
      pass = Future.failedFuture(e);
    }
    pass.onFailure(this::failed).onComplete(x -> running = false);
  }
}
