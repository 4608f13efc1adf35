package io.slabtrack.cluster.outbox;

import io.slabtrack.cluster.bus.BusTokens;
import io.slabtrack.cluster.metrics.OutboxMetrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays the outbox of one app database to the event bus. Deploy one per node; any number of relays may
 * share a database ({@link RelayBatch} keeps them off each other's rows).
 *
 * <p>When to run: a NOTIFY on channel {@code outbox} (sent by the table's trigger at commit) wakes the relay
 * at once; a slow periodic poll is the backstop for missed notifications and for retries coming due. Up to
 * {@link #MAX_PASSES} batches overlap on one relay (a batch that claimed rows starts the next; a wake-up beyond that,
 * or a poll while batches run, only asks for another batch after one ends), and the relay keeps going while batches
 * claim rows (a full batch left rows behind; a settled head unblocked the next message of its aggregate).
 */
public final class OutboxRelayVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxRelayVerticle.class);
  public static final String CHANNEL = "outbox";

  private final Pool pool;
  private final PgConnectOptions listenOptions;
  private final ReplyHandlers replyHandlers;
  private final RelayOptions options;
  private final BusTokens busTokens;
  private final OutboxMetrics metrics;

  private RelayBatch batch;
  private PgSubscriber subscriber;
  private long pollTimer = -1;
  private io.vertx.core.eventbus.MessageConsumer<Object> wakeConsumer;
  private long reconnectTimer = -1;
  private boolean stopped;
  /** Passes of this relay at once: one claims and records while another's envelopes are on the other side. */
  static final int MAX_PASSES = 3;
  private int passes;
  /** A wake-up found every pass busy: go again once one ends. */
  private boolean runAgain;
  /** A poll found passes running: go again once they all end. */
  private boolean pollAgain;
  private final java.util.Set<Future<Void>> inFlight = new java.util.HashSet<>();

  /** A relay whose messages go unsigned: for tests and tools whose receivers check no sender. */
  public OutboxRelayVerticle(Pool pool, PgConnectOptions listenOptions, ReplyHandlers replyHandlers,
                             RelayOptions options) {
    this(pool, listenOptions, replyHandlers, options, null, null);
  }

  /**
   * @param busTokens the app's identity on the bus: each delivery to another app carries its service token
   * @param metrics   the app's outbox meters; null: not counted
   */
  public OutboxRelayVerticle(Pool pool, PgConnectOptions listenOptions, ReplyHandlers replyHandlers,
                             RelayOptions options, BusTokens busTokens, OutboxMetrics metrics) {
    this.pool = pool;
    this.listenOptions = listenOptions;
    this.replyHandlers = replyHandlers;
    this.options = options;
    this.busTokens = busTokens;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    batch = new RelayBatch(vertx, pool, replyHandlers, options, busTokens, metrics);
    pollTimer = vertx.setPeriodic(options.pollMillis(), id -> poll());
    wakeConsumer = vertx.eventBus().localConsumer(Outbox.WAKE_ADDRESS, msg -> wake());
    subscriber = PgSubscriber.subscriber(vertx, listenOptions)
        // after a lost LISTEN connection: keep trying, never faster than once a second nor slower than 30 s
        .reconnectPolicy(retries -> Math.min(30_000L, 1_000L << Math.min(retries, 5)));
    subscriber.channel(CHANNEL)
        .handler(payload -> context.runOnContext(v -> wake()))
        // also on every re-subscribe: notifications sent while we were disconnected are lost
        .subscribeHandler(v -> context.runOnContext(x -> wake()));
    return subscriber.connect()
        .recover(t -> {
          LOG.warn("outbox relay: LISTEN {} failed, relying on the {} ms poll until it reconnects: {}", CHANNEL,
              options.pollMillis(), t.getMessage());
          scheduleReconnect(1);
          return Future.succeededFuture();
        })
        .onSuccess(v -> wake());
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(pollTimer);
    vertx.cancelTimer(reconnectTimer);
    wakeConsumer.unregister();
    // let the batch in flight record its outcomes rather than abandon its transaction half-way
    Future<?> drained = Future.join(new java.util.ArrayList<>(inFlight)).transform(ar -> Future.succeededFuture());
    return Future.join(drained, subscriber.close());
  }

  /** The reconnect policy only covers a connection that once succeeded; the first connect is retried here. */
  private void scheduleReconnect(int attempt) {
    if (stopped) {
      return;
    }
    long delay = Math.min(30_000L, 1_000L << Math.min(attempt, 5));
    reconnectTimer = vertx.setTimer(delay, id -> subscriber.connect()
        .onSuccess(v -> LOG.info("outbox relay: LISTEN {} connected", CHANNEL))
        .onFailure(t -> scheduleReconnect(attempt + 1)));
  }

  /**
   * The backstop poll starts a pass only when none is running; while passes run it asks for one more once they end.
   * Each pass that claimed rows goes again when it ends anyway, and a claim beside them would find what the next one
   * finds, after scanning every row waiting behind theirs (hundreds of ms with a backlog, every poll).
   */
  private void poll() {
    if (passes > 0) {
      pollAgain = true;
      return;
    }
    startPass();
  }

  /**
   * A NOTIFY or a local commit: new rows. While passes run, one more goes once one of them ends, instead of a claim
   * beside them now: under a stream of commits (a group of sale claims every few ms, each waking the relay) the
   * claims beside the running passes mostly found the rows those were already delivering, and each claim is a scan of
   * every pending row. A pass that claimed rows still starts the next one beside it ({@link #startPass}).
   */
  private void wake() {
    if (passes > 0) {
      runAgain = true;
      return;
    }
    startPass();
  }

  private void startPass() {
    if (stopped) {
      return;
    }
    if (passes >= MAX_PASSES) {
      runAgain = true;
      return;
    }
    passes++;
    runAgain = false;
    pollAgain = false;
    Promise<Void> done = Promise.promise();
    inFlight.add(done.future());
    // a pass that claimed rows starts the next one beside it: while its envelopes are applied on the other side, the
    // next pass claims (SKIP LOCKED and the lease keep them apart; an aggregate's next row waits for its head)
    batch.run(() -> context.runOnContext(v -> startPass())).onComplete(ar -> {
      passes--;
      inFlight.remove(done.future());
      done.complete();
      // Any claimed row may have unblocked its aggregate's next message (no NOTIFY for that) or left rows
      // behind a full batch: go again. Rows backing off are not due, so the follow-up claims nothing and stops.
      boolean more = ar.succeeded() && ar.result() > 0;
      if (ar.failed() && stopped) {
        // shutting down (Vert.x closing the pool under us): the rows stay pending for the next relay
        LOG.debug("outbox relay batch abandoned at stop: {}", ar.cause().toString());
      } else if (ar.failed()) {
        // the poll retries; looping at once would spin while the database is down
        LOG.warn("outbox relay batch failed: {}", ar.cause().toString());
      } else if (ar.result() > 0) {
        LOG.debug("outbox relay batch: {} rows", ar.result());
      }
      if (more || (ar.succeeded() && (runAgain || (pollAgain && passes == 0)))) {
        startPass();
      }
    });
  }
}
