package io.slabtrack.cluster.outbox;

import io.slabtrack.cluster.db.DatabaseTrouble;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.logging.Correlation;
import io.slabtrack.cluster.metrics.InboxMetrics;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbox side of a batch envelope ({@code {"events": [...]}}, cluster-config/EVENT-BUS.md "Batches"): the events
 * of one envelope are de-duplicated with one multi-row statement and the new ones applied in one transaction, and the
 * answer is one result per event, in envelope order.
 *
 * <p>A failing event never takes the others down: the batch is first applied straight through (the common case,
 * no savepoints); if any event fails, that attempt is rolled back whole and the batch is applied again with a
 * savepoint around each event, so only the failing ones are undone (and their inbox rows removed, so a retry applies
 * them). A failure inside a transaction that still commits is the event's own: a 4xx {@link InboxRejection} keeps its
 * code, anything else answers 500 (poison: the sender counts it towards dead-lettering), except a database state that
 * says "try later" (serialization failure, deadlock, lock timeout, shutdown: 503).
 */
final class InboxBatch {
  private static final Logger LOG = LoggerFactory.getLogger(InboxBatch.class);
  /** The envelope's field with the events; a single message has an {@code eventId} instead. */
  static final String EVENTS = "events";
  static final String RESULTS = "results";

  private final Pool pool;
  private final String address;
  private final SenderInboxHandler handler;
  /** Applies the fresh events together in the first attempt; null: one by one (or pipelined). */
  private final SenderInboxBatchHandler batchHandler;
  /** The app that sent each entry (all the envelope's sender, or each grouped message's own). */
  private final AppName[] senders;
  /**
   * Grouped single messages ({@link InboxGroups}): each entry's correlation ids, made current for its apply and its
   * log lines; and a failure that is not the event's own answers 503 (retry), as it would alone. Null: an envelope.
   */
  private final JsonObject[] ids;
  private final InboxMetrics metrics;
  private final boolean pipelined;

  InboxBatch(Pool pool, String address, SenderInboxHandler handler, SenderInboxBatchHandler batchHandler,
             AppName sender, InboxMetrics metrics, boolean pipelined, int size) {
    this(pool, address, handler, batchHandler, filled(sender, size), null, metrics, pipelined);
  }

  InboxBatch(Pool pool, String address, SenderInboxHandler handler, SenderInboxBatchHandler batchHandler,
             AppName[] senders, JsonObject[] ids, InboxMetrics metrics, boolean pipelined) {
    this.batchHandler = batchHandler;
    this.pipelined = pipelined;
    this.pool = pool;
    this.address = address;
    this.handler = handler;
    this.senders = senders;
    this.ids = ids;
    this.metrics = metrics;
  }

  private static AppName[] filled(AppName sender, int size) {
    AppName[] out = new AppName[size];
    java.util.Arrays.fill(out, sender);
    return out;
  }

  /** A handler that can't answer an event with its own refusal: all its results are replies. */
  static SenderInboxBatchHandler adapt(InboxBatchHandler h) {
    return new SenderInboxBatchHandler() {
      @Override
      public Future<JsonObject> apply(SqlConnection tx, JsonObject body, AppName sender) {
        return h.apply(tx, body);
      }

      @Override
      public Future<List<io.vertx.core.AsyncResult<JsonObject>>> applyAll(SqlConnection tx, List<InboxEvent> events) {
        List<JsonObject> bodies = new ArrayList<>(events.size());
        events.forEach(e -> bodies.add(e.body()));
        return h.applyAll(tx, bodies).map(replies -> {
          if (replies == null) {
            return null;
          }
          List<io.vertx.core.AsyncResult<JsonObject>> out = new ArrayList<>(replies.size());
          replies.forEach(r -> out.add(Future.succeededFuture(r)));
          return out;
        });
      }
    };
  }

  private String senderId(int i) {
    return senders[i] == null ? null : senders[i].id();
  }

  /** Grouped messages: entry i's ids become the current ones (its eventId included). */
  private void speakFor(int i, UUID id) {
    if (ids != null) {
      Correlation.replace(ids[i]);
    }
    Correlation.put(Correlation.EVENT_ID, id);
  }

  static boolean isEnvelope(JsonObject body) {
    return body != null && body.getValue(EVENTS) instanceof JsonArray && !body.containsKey("eventId");
  }

  /** One result per entry: {@code {"eventId", "reply"}} or {@code {"eventId"?, "failureCode", "failure"}}. */
  record Outcome(UUID eventId, JsonObject reply, int failureCode, String failure, boolean duplicate) {
    static Outcome replied(UUID id, JsonObject reply, boolean duplicate) {
      return new Outcome(id, reply, 0, null, duplicate);
    }

    static Outcome failed(UUID id, int code, String failure) {
      return new Outcome(id, null, code, failure, false);
    }

    JsonObject toJson() {
      JsonObject o = new JsonObject().put("eventId", eventId == null ? null : eventId.toString());
      return failure == null ? o.put("reply", reply) : o.put("failureCode", failureCode).put("failure", failure);
    }
  }

  /** @return the envelope's reply; fails only when nothing could be recorded (the sender retries the lot) */
  Future<JsonObject> apply(JsonArray entries) {
    int n = entries.size();
    Outcome[] outcomes = new Outcome[n];
    Map<UUID, Integer> firstIndex = new HashMap<>();
    List<Integer> toApply = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Object entry = entries.getValue(i);
      UUID id = entry instanceof JsonObject body ? eventId(body) : null;
      if (id == null) {
        outcomes[i] = Outcome.failed(null, 400, Inbox.error("invalid_event_id", "a durable message needs a UUID eventId"));
      } else if (firstIndex.putIfAbsent(id, i) == null) {
        toApply.add(i);
      }
    }
    if (toApply.isEmpty()) {
      return Future.succeededFuture(answer(entries, outcomes, firstIndex));
    }
    return run(entries, toApply, outcomes, false)
        .recover(t -> t instanceof EventFailed
            ? run(entries, toApply, outcomes, true)
            : Future.failedFuture(t))
        .map(v -> answer(entries, outcomes, firstIndex));
  }

  /** Thrown out of the straight-through attempt by the first failing event: go again with savepoints. */
  private static final class EventFailed extends RuntimeException {
    EventFailed(Throwable cause) {
      super(cause.toString(), cause, false, false);
    }
  }

  // BEGIN/COMMIT by hand: the client's Transaction would turn COMMIT into ROLLBACK after a failed statement even
  // once ROLLBACK TO SAVEPOINT recovered it
  private Future<Void> run(JsonArray entries, List<Integer> toApply, Outcome[] outcomes, boolean savepoints) {
    UUID[] ids = new UUID[toApply.size()];
    String[] from = new String[toApply.size()];
    for (int k = 0; k < ids.length; k++) {
      ids[k] = eventId(entries.getJsonObject(toApply.get(k)));
      from[k] = senderId(toApply.get(k));
    }
    Outcome[] attempt = new Outcome[outcomes.length];
    // BEGIN and the inbox insert are sent together (pipelined): one round trip instead of two
    return pool.getConnection().compose(conn -> Future.join(conn.query(OutboxSql.BEGIN).execute(),
            conn.preparedQuery(OutboxSql.INBOX_CLAIM_ALL)
                .execute(Tuple.tuple().addArrayOfUUID(ids).addString(address).addArrayOfString(from)))
        .map(both -> both.<io.vertx.sqlclient.RowSet<Row>>resultAt(1))
        .compose(claimed -> {
          Set<UUID> fresh = new LinkedHashSet<>();
          for (Row r : claimed) {
            fresh.add(r.getUUID(0));
          }
          List<UUID> seen = new ArrayList<>();
          for (UUID id : ids) {
            if (!fresh.contains(id)) {
              seen.add(id);
            }
          }
          return storedReplies(conn, seen, entries, toApply, attempt)
              .compose(v -> applyFresh(conn, entries, toApply, fresh, attempt, savepoints))
              .compose(v -> recordOutcomesAndCommit(conn, attempt, fresh));
        })
        .transform(ar -> {
          boolean enqueued = Outbox.enqueuedByHand(conn);
          if (ar.succeeded()) {
            if (enqueued && io.vertx.core.Vertx.currentContext() != null) {
              // committed by hand: the outbox rows the handlers wrote wake this JVM's relays now, as a client
              // transaction's completion would have (Outbox.enqueue)
              Outbox.wakeRelays(io.vertx.core.Vertx.currentContext().owner());
            }
            for (int i = 0; i < attempt.length; i++) {
              if (attempt[i] != null) {
                outcomes[i] = attempt[i];
              }
            }
            return Future.<Void>succeededFuture();
          }
          return conn.query(OutboxSql.ROLLBACK).execute().transform(x -> Future.<Void>failedFuture(ar.cause()));
        })
        .eventually(conn::close));
  }

  /** A redelivery (a lost answer, a second relay): the first reply again, for the same app only. */
  private Future<Void> storedReplies(SqlConnection conn, List<UUID> seen, JsonArray entries, List<Integer> toApply,
                                     Outcome[] attempt) {
    if (seen.isEmpty()) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery(OutboxSql.INBOX_REPLIES_OF).execute(Tuple.of(seen.toArray(new UUID[0])))
        .map(rows -> {
          Map<UUID, Row> byId = new HashMap<>();
          for (Row r : rows) {
            byId.put(r.getUUID("event_id"), r);
          }
          for (int i : toApply) {
            UUID id = eventId(entries.getJsonObject(i));
            Row r = byId.get(id);
            if (r == null) {
              continue; // fresh
            }
            String storedSender = r.getString("sender");
            if (storedSender != null && !storedSender.equals(senderId(i))) {
              attempt[i] = Outcome.failed(id, 409, new InboxRejection(409, "event_id_conflict",
                  "This eventId was already sent by another app").toJsonString());
            } else {
              Object reply = r.getValue("reply");
              attempt[i] = Outcome.replied(id, reply instanceof JsonObject o ? o
                  : reply == null ? new JsonObject() : new JsonObject().put("value", reply), true);
            }
          }
          return null;
        });
  }

  private Future<Void> applyFresh(SqlConnection conn, JsonArray entries, List<Integer> toApply, Set<UUID> fresh,
                                  Outcome[] attempt, boolean savepoints) {
    if (batchHandler != null && !savepoints) {
      return applyTogether(conn, entries, toApply, fresh, attempt);
    }
    if (pipelined && !savepoints) {
      return applyPipelined(conn, entries, toApply, fresh, attempt);
    }
    Future<Void> chain = Future.succeededFuture();
    for (int i : toApply) {
      JsonObject body = entries.getJsonObject(i);
      UUID id = eventId(body);
      if (!fresh.contains(id)) {
        continue;
      }
      chain = chain.compose(v -> {
        speakFor(i, id);
        Future<JsonObject> applied = savepoints
            ? conn.query(OutboxSql.SAVEPOINT).execute().compose(x -> Inbox.applySafely(handler, conn, body, senders[i]))
            : Inbox.applySafely(handler, conn, body, senders[i]);
        return applied.transform(ar -> {
          if (ar.succeeded()) {
            attempt[i] = Outcome.replied(id, ar.result() == null ? new JsonObject() : ar.result(), false);
            return savepoints ? conn.query(OutboxSql.RELEASE_SAVEPOINT).execute().<Void>mapEmpty()
                : Future.<Void>succeededFuture();
          }
          if (!savepoints) {
            return Future.failedFuture(new EventFailed(ar.cause()));
          }
          attempt[i] = failedOutcome(id, ar.cause());
          return conn.query(OutboxSql.ROLLBACK_TO_SAVEPOINT).execute().<Void>mapEmpty();
        });
      });
    }
    return chain;
  }

  /** The fresh events in the batch handler's multi-row statements; a failure sends the batch round again. */
  private Future<Void> applyTogether(SqlConnection conn, JsonArray entries, List<Integer> toApply, Set<UUID> fresh,
                                     Outcome[] attempt) {
    List<InboxEvent> events = new ArrayList<>(fresh.size());
    List<Integer> indexes = new ArrayList<>(fresh.size());
    for (int i : toApply) {
      JsonObject body = entries.getJsonObject(i);
      UUID id = eventId(body);
      if (fresh.contains(id)) {
        indexes.add(i);
        JsonObject own = ids == null ? Correlation.currentJson() : ids[i];
        own = own == null ? new JsonObject() : own;
        if (!own.containsKey(Correlation.EVENT_ID)) {
          own.put(Correlation.EVENT_ID, id.toString());
        }
        events.add(new InboxEvent(body, senders[i], own));
      }
    }
    if (events.isEmpty()) {
      return Future.succeededFuture();
    }
    Future<List<io.vertx.core.AsyncResult<JsonObject>>> applied;
    try {
      applied = batchHandler.applyAll(conn, events);
    } catch (RuntimeException e) {
      applied = Future.failedFuture(e);
    }
    return applied.transform(ar -> {
      Throwable cause = ar.failed() ? ar.cause()
          : ar.result() == null || ar.result().size() != events.size()
              ? new IllegalStateException("a result per event expected")
              : ar.result().stream().filter(r -> r.failed() && !(r.cause() instanceof InboxRejection))
                  .map(io.vertx.core.AsyncResult::cause).findFirst().orElse(null);
      if (cause != null) {
        LOG.info("inbox batch of {} for address={} goes again event by event: {}", events.size(), address,
            cause.toString());
        return Future.failedFuture(new EventFailed(cause));
      }
      for (int k = 0; k < indexes.size(); k++) {
        int i = indexes.get(k);
        UUID id = eventId(entries.getJsonObject(i));
        io.vertx.core.AsyncResult<JsonObject> r = ar.result().get(k);
        if (r.failed()) {
          speakFor(i, id);
          attempt[i] = failedOutcome(id, r.cause());
        } else {
          attempt[i] = Outcome.replied(id, r.result() == null ? new JsonObject() : r.result(), false);
        }
      }
      return Future.succeededFuture();
    });
  }

  /** Every event's statements at once on the one connection; the first failure sends the batch round again. */
  private Future<Void> applyPipelined(SqlConnection conn, JsonArray entries, List<Integer> toApply, Set<UUID> fresh,
                                      Outcome[] attempt) {
    List<Future<JsonObject>> all = new ArrayList<>(fresh.size());
    List<Integer> indexes = new ArrayList<>(fresh.size());
    for (int i : toApply) {
      JsonObject body = entries.getJsonObject(i);
      if (fresh.contains(eventId(body))) {
        indexes.add(i);
        all.add(Inbox.applySafely(handler, conn, body, senders[i]));
      }
    }
    // join, not all: every statement sent must have come back before the transaction ends
    return Future.join(all).transform(ar -> {
      if (ar.failed()) {
        return Future.failedFuture(new EventFailed(ar.cause()));
      }
      for (int k = 0; k < indexes.size(); k++) {
        int i = indexes.get(k);
        JsonObject reply = all.get(k).result();
        attempt[i] = Outcome.replied(eventId(entries.getJsonObject(i)), reply == null ? new JsonObject() : reply, false);
      }
      return Future.succeededFuture();
    });
  }

  private Outcome failedOutcome(UUID id, Throwable t) {
    if (t instanceof InboxRejection r) {
      LOG.info("inbox rejected eventId={} address={} (batch): {} {}", id, address, r.code(), r.getMessage());
      return Outcome.failed(id, r.code(), r.toJsonString());
    }
    if (ids != null || t instanceof PgException pg && DatabaseTrouble.tryLater(pg.getSqlState())) {
      // (a grouped message alone would have been rolled back and answered "retry")
      LOG.warn("inbox failed eventId={} address={} (batch), retry: {}", id, address, t.toString());
      return Outcome.failed(id, 503, Inbox.error("unavailable", "could not process the message now; retry"));
    }
    LOG.warn("inbox handler failed eventId={} address={} (batch): {}", id, address, t.toString());
    return Outcome.failed(id, 500, Inbox.error("internal_error", "the receiver's handler failed"));
  }

  /**
   * The failed events leave no inbox row (a retry applies them); the applied ones store their reply; then COMMIT. All
   * sent at once (pipelined), one round trip: should a write fail, PostgreSQL has aborted the transaction and turns
   * the COMMIT into a rollback, and the write's failure fails the whole (the caller's ROLLBACK then changes nothing).
   */
  private Future<Void> recordOutcomesAndCommit(SqlConnection conn, Outcome[] attempt, Set<UUID> fresh) {
    List<UUID> failed = new ArrayList<>();
    List<UUID> applied = new ArrayList<>();
    List<JsonObject> replies = new ArrayList<>();
    for (Outcome o : attempt) {
      if (o == null || !fresh.contains(o.eventId())) {
        continue; // answered from the inbox, nothing of ours to change
      }
      if (o.failure() != null) {
        failed.add(o.eventId());
      } else {
        applied.add(o.eventId());
        replies.add(o.reply());
      }
    }
    List<Future<?>> sent = new ArrayList<>();
    if (!failed.isEmpty()) {
      sent.add(conn.preparedQuery(OutboxSql.INBOX_FORGET_ALL).execute(Tuple.of(failed.toArray(new UUID[0]))));
    }
    if (!applied.isEmpty()) {
      sent.add(conn.preparedQuery(OutboxSql.INBOX_STORE_REPLIES)
          .execute(Tuple.tuple().addArrayOfUUID(applied.toArray(new UUID[0]))
              .addArrayOfJsonObject(replies.toArray(new JsonObject[0]))));
    }
    sent.add(conn.query(OutboxSql.COMMIT).execute());
    // join, not all: the COMMIT must have been answered before the connection goes back to the pool
    return Future.join(sent).mapEmpty();
  }

  /** Counts each event once its transaction committed, and answers a repeated entry like its first. */
  private JsonObject answer(JsonArray entries, Outcome[] outcomes, Map<UUID, Integer> firstIndex) {
    JsonArray results = new JsonArray();
    for (int i = 0; i < outcomes.length; i++) {
      Outcome o = outcomes[i];
      if (o == null) {
        UUID id = eventId(entries.getJsonObject(i));
        Outcome first = outcomes[firstIndex.get(id)];
        o = first.failure() == null ? Outcome.replied(id, first.reply(), true) : first;
      } else if (o.failure() != null) {
        metrics.rejected(address, o.failureCode());
      } else if (o.duplicate()) {
        metrics.duplicate(address);
      } else {
        metrics.applied(address);
        // a sale's event gets its line in this app's log, as when sent alone (the envelope carries the sale's ids)
        if (ids != null) {
          speakFor(i, o.eventId());
        }
        Inbox.logApplied(address, o.eventId());
      }
      results.add(o.toJson());
    }
    return new JsonObject().put(RESULTS, results);
  }

  static UUID eventId(JsonObject body) {
    try {
      return UUID.fromString(body.getString("eventId"));
    } catch (RuntimeException e) {
      return null;
    }
  }
}
