package io.slabtrack.cluster.browse;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a node's {@link BrowseCache} current: reads the app's browse versions every {@link BrowseCache#POLL_MS} ms,
 * one read at a time (the next is scheduled when the previous ends, so a slow database never piles them up).
 */
public final class BrowseVersionsPoller extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(BrowseVersionsPoller.class);
  private final Pool pool;
  private final BrowseCache cache;
  private long timer = -1;
  private boolean stopped;
  private boolean warned;

  public BrowseVersionsPoller(Pool pool, BrowseCache cache) {
    this.pool = pool;
    this.cache = cache;
  }

  @Override
  public Future<?> start() {
    // the first read before the app serves: the cache is used from the first request
    return cache.refresh(pool).onComplete(ar -> schedule()).recover(t -> {
      LOG.warn("browse versions not readable yet; browse reads the database until they are: {}", t.toString());
      return Future.succeededFuture();
    });
  }

  private void schedule() {
    if (!stopped) {
      timer = vertx.setTimer(BrowseCache.POLL_MS, id -> cache.refresh(pool).onComplete(ar -> {
        if (ar.failed() && !warned) {
          warned = true;
          LOG.warn("browse versions poll failed; the cache is bypassed until it succeeds: {}", ar.cause().toString());
        } else if (ar.succeeded()) {
          warned = false;
        }
        schedule();
      }));
    }
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }
}
