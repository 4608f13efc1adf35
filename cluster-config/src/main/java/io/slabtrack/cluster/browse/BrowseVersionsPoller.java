package io.slabtrack.cluster.browse;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a node's {@link BrowseCache} current: re-reads the app's browse versions as soon as the database notifies a
 * change (the version triggers {@code NOTIFY browse_versions} at commit) and every {@link BrowseCache#POLL_MS} ms in
 * any case (a notification is lost while the LISTEN connection is down). One read at a time; a change notified during
 * a read triggers one more.
 */
public final class BrowseVersionsPoller extends VerticleBase {
  static final String CHANNEL = "browse_versions";
  private static final Logger LOG = LoggerFactory.getLogger(BrowseVersionsPoller.class);
  private final Pool pool;
  private final PgConnectOptions listenOptions;
  private final BrowseCache cache;
  private PgSubscriber subscriber;
  private long timer = -1;
  private boolean running;
  private boolean again;
  private boolean stopped;
  private boolean warned;

  public BrowseVersionsPoller(Pool pool, PgConnectOptions listenOptions, BrowseCache cache) {
    this.pool = pool;
    this.listenOptions = listenOptions;
    this.cache = cache;
  }

  @Override
  public Future<?> start() {
    Context here = context;
    subscriber = PgSubscriber.subscriber(vertx, listenOptions)
        .reconnectPolicy(retries -> Math.min(30_000L, 1_000L << Math.min(retries, 5)));
    subscriber.channel(CHANNEL)
        .handler(scope -> here.runOnContext(v -> read()))
        .subscribeHandler(v -> here.runOnContext(x -> read()));
    timer = vertx.setPeriodic(BrowseCache.POLL_MS, id -> read());
    // the first read before the app serves, so the cache works from the first request
    return cache.refresh(pool)
        .recover(t -> {
          LOG.warn("browse versions not readable yet; browse reads the database until they are: {}", t.toString());
          return Future.succeededFuture();
        })
        .compose(x -> subscriber.connect().recover(t -> {
          LOG.warn("browse cache: LISTEN {} failed, relying on the {} ms poll: {}", CHANNEL, BrowseCache.POLL_MS,
              t.toString());
          return Future.succeededFuture();
        }));
  }

  private void read() {
    if (stopped) {
      return;
    }
    if (running) {
      again = true;
      return;
    }
    running = true;
    cache.refresh(pool).onComplete(ar -> {
      running = false;
      if (ar.failed() && !warned) {
        warned = true;
        LOG.warn("browse versions read failed; the cache is bypassed until it succeeds: {}", ar.cause().toString());
      } else if (ar.succeeded()) {
        warned = false;
      }
      if (again) {
        again = false;
        read();
      }
    });
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    return subscriber == null ? Future.succeededFuture() : subscriber.close();
  }
}
