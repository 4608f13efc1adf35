package io.slabtrack.cluster.outbox;

import io.slabtrack.cluster.bus.BusSenders;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.logging.Correlation;
import io.slabtrack.cluster.metrics.InboxMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for one inbox address ({@link Inbox#consumeGrouped}): a single message that arrives while this
 * consumer's transaction runs waits, and all that waited go together in the next transaction — one inbox dedupe, the
 * handler's {@link SenderInboxBatchHandler#applyAll}, one commit (still synchronous: nothing is answered before it).
 * They go through {@link InboxBatch}, so a failing multi-row apply is redone one message at a time in savepoints.
 *
 * <p>Each message keeps what it would have alone: its sender check (before it waits), its correlation ids, its own
 * answer (reply, first reply to a redelivery, its refusal code, 503 when nothing could be recorded). Two messages
 * with one eventId never share a group: the second waits for the next, which answers it from the inbox.
 * Runs on the consumer's event loop: the queue is touched by that thread only.
 */
final class InboxGroups {
  private static final Logger LOG = LoggerFactory.getLogger(InboxGroups.class);

  private final Pool pool;
  private final String address;
  private final SenderInboxBatchHandler handler;
  private final InboxMetrics metrics;
  private final int maxGroup;
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  private int running;
  /** Groups in their transaction at once: the next one is decided while the previous one commits. */
  static final int MAX_RUNNING = 2;
  /**
   * While messages keep coming (a group is running, or the last one had company), a group waits this long to fill up
   * before it starts, as PostgreSQL's commit_delay: else the first message answered after a big group would start
   * the next one alone and the group sizes would alternate 1, 63, 1, 63. A lone message on a quiet node starts at once.
   */
  static final long LINGER_MILLIS = 2;
  private boolean lingering;
  private boolean busy;

  private record Waiting(Message<JsonObject> msg, UUID eventId, AppName sender, JsonObject ids) {
  }

  InboxGroups(Pool pool, String address, SenderInboxBatchHandler handler, InboxMetrics metrics, int maxGroup) {
    if (maxGroup < 1) {
      throw new IllegalArgumentException("maxGroup must be at least 1");
    }
    this.pool = pool;
    this.address = address;
    this.handler = handler;
    this.metrics = metrics;
    this.maxGroup = maxGroup;
  }

  void receive(Message<JsonObject> msg, BusSenders.Check senders) {
    UUID eventId;
    try {
      eventId = UUID.fromString(msg.body().getString("eventId"));
    } catch (RuntimeException e) {
      msg.fail(400, Inbox.error("invalid_event_id", "a durable message needs a UUID eventId"));
      return;
    }
    Correlation.restore(Correlation.fromHeaders(msg.headers()));
    Correlation.put(Correlation.EVENT_ID, eventId);
    JsonObject ids = Correlation.currentJson();
    senders.admit(msg).onComplete(ar -> {
      if (ar.failed()) {
        fail(msg, eventId, ar.cause());
        return;
      }
      waiting.add(new Waiting(msg, eventId, ar.result(), ids == null ? new JsonObject() : ids));
      drain();
    });
  }

  /** Starts the next group unless one is running; its end starts the one after. */
  private void drain() {
    if (running >= MAX_RUNNING || waiting.isEmpty() || lingering) {
      return;
    }
    if (waiting.size() < maxGroup && (running > 0 || busy)) {
      lingering = true;
      Vertx.currentContext().owner().setTimer(LINGER_MILLIS, t -> {
        lingering = false;
        start();
      });
      return;
    }
    start();
  }

  private void start() {
    if (running >= MAX_RUNNING || waiting.isEmpty()) {
      return;
    }
    List<Waiting> group = new ArrayList<>();
    Set<UUID> inGroup = new HashSet<>();
    for (Iterator<Waiting> it = waiting.iterator(); it.hasNext() && group.size() < maxGroup; ) {
      Waiting w = it.next();
      if (inGroup.add(w.eventId())) {
        group.add(w);
        it.remove();
      }
    }
    running++;
    busy = group.size() > 1;
    // a context of its own: each message's ids are made current in turn, never left on another's context
    ContextInternal context = ((ContextInternal) Vertx.currentContext()).unwrap().duplicate();
    context.runOnContext(v -> apply(group).onComplete(x -> {
      running--;
      drain();
    }));
  }

  private Future<Void> apply(List<Waiting> group) {
    int n = group.size();
    JsonArray entries = new JsonArray();
    AppName[] senders = new AppName[n];
    JsonObject[] ids = new JsonObject[n];
    for (int i = 0; i < n; i++) {
      Waiting w = group.get(i);
      entries.add(w.msg().body());
      senders[i] = w.sender();
      ids[i] = w.ids();
    }
    Future<JsonObject> applied;
    try {
      applied = new InboxBatch(pool, address, handler, handler, senders, ids, metrics, false).apply(entries);
    } catch (RuntimeException e) {
      applied = Future.failedFuture(e);
    }
    long t0 = System.nanoTime();
    return applied.transform(ar -> {
      LOG.debug("inbox group of {} for address={} done in {} ms", n, address, (System.nanoTime() - t0) / 1_000_000);
      for (int i = 0; i < n; i++) {
        Waiting w = group.get(i);
        Correlation.replace(w.ids());
        if (ar.failed()) {
          fail(w.msg(), w.eventId(), ar.cause());
          continue;
        }
        JsonObject result = ar.result().getJsonArray(InboxBatch.RESULTS).getJsonObject(i);
        if (result.containsKey("failure")) {
          w.msg().fail(result.getInteger("failureCode"), result.getString("failure"));
        } else {
          w.msg().reply(result.getJsonObject("reply"));
        }
      }
      return Future.succeededFuture();
    });
  }

  /** A message refused before it waited, or a group that could record nothing: as {@link Inbox} answers alone. */
  private void fail(Message<JsonObject> msg, UUID eventId, Throwable t) {
    Inbox.answerFailure(msg, eventId, address, metrics, t);
  }
}
