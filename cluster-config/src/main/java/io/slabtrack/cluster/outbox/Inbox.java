package io.slabtrack.cluster.outbox;

import io.slabtrack.cluster.bus.BusSenders;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.logging.Correlation;
import io.slabtrack.cluster.metrics.InboxMetrics;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving half of durable delivery: applies each event id once and answers every redelivery with the
 * first reply. See {@link Outbox} for the whole protocol.
 */
public final class Inbox {
  private static final Logger LOG = LoggerFactory.getLogger(Inbox.class);

  private Inbox() {
  }

  /** @return the consumer, once it is registered (on every node of a cluster, for a clustered bus) */
  public static Future<MessageConsumer<JsonObject>> consume(Vertx vertx, Pool pool, String address,
                                                            InboxHandler handler) {
    return consume(vertx, pool, address, null, handler);
  }

  /**
   * {@link #consume(Vertx, Pool, String, InboxHandler)} for a handler whose events touch only their own aggregate's
   * rows (one listing per event): the new events of a batch envelope are applied pipelined on the transaction's
   * connection (all sent at once, not one round trip after the other). Events of one aggregate never share an
   * envelope, so none waits for another. After a failure the batch is applied again one event at a time.
   */
  public static Future<MessageConsumer<JsonObject>> consumePipelined(Vertx vertx, Pool pool, String address,
                                                                     InboxHandler handler) {
    return register(vertx, address, msg -> receive(vertx, pool, address, Future.succeededFuture(null), null,
        (tx, body, sender) -> handler.apply(tx, body), null, true, msg));
  }

  /**
   * {@link #consume(Vertx, Pool, String, InboxHandler)} for a handler that applies the new events of a batch envelope
   * together ({@link InboxBatchHandler#applyAll}: a few multi-row statements for the lot); a single event, and every
   * event of a batch whose multi-row apply failed, goes through {@link InboxHandler#apply} alone.
   */
  public static Future<MessageConsumer<JsonObject>> consumeBatched(Vertx vertx, Pool pool, String address,
                                                                   InboxBatchHandler handler) {
    return register(vertx, address, msg -> receive(vertx, pool, address, Future.succeededFuture(null), null,
        (tx, body, sender) -> handler.apply(tx, body), InboxBatch.adapt(handler), false, msg));
  }

  /**
   * {@link #consume(Vertx, Pool, String, BusSenders.Check, SenderInboxHandler)} with group commit: single messages
   * that arrive while this consumer's transaction runs wait for it and are then applied together in the next one
   * ({@link InboxGroups}, up to {@code maxGroup} at a time), by {@link SenderInboxBatchHandler#applyAll}; a batch
   * envelope goes through it too. Every message still gets the answer it would get alone.
   */
  public static Future<MessageConsumer<JsonObject>> consumeGrouped(Vertx vertx, Pool pool, String address,
                                                                   BusSenders.Check senders,
                                                                   SenderInboxBatchHandler handler, int maxGroup) {
    InboxGroups groups = new InboxGroups(pool, address, handler, InboxMetrics.of(vertx), maxGroup);
    return register(vertx, address, msg -> {
      if (msg.body() != null && InboxBatch.isEnvelope(msg.body())) {
        receiveBatch(vertx, pool, address, senders.admit(msg), null, handler, handler, false, msg);
      } else {
        groups.receive(msg, senders);
      }
    });
  }

  /**
   * {@link #consume(Vertx, Pool, String, InboxHandler)} for a handler with a slow step that must not hold a database
   * connection (a call to Stripe): {@code outside} runs first, holding none, and what it returns is what
   * {@code handler} applies in the inbox's transaction. A redelivery the inbox already answered skips both; one that
   * races the first delivery may run {@code outside} twice, so it must be idempotent (e.g. a Stripe idempotency key).
   */
  public static Future<MessageConsumer<JsonObject>> consume(Vertx vertx, Pool pool, String address,
                                                            Function<JsonObject, Future<JsonObject>> outside,
                                                            InboxHandler handler) {
    return register(vertx, address, msg -> receive(vertx, pool, address, Future.succeededFuture(null), outside,
        (tx, body, sender) -> handler.apply(tx, body), null, false, msg));
  }

  /**
   * An address only some apps may send to: {@code senders} checks the sender's service token
   * ({@link io.slabtrack.cluster.bus.BusTokens}) before anything is read or written, and a refused message
   * (401/403) changes nothing. The inbox records the sender with the eventId and answers a redelivery only to the
   * same app: another app reusing a known eventId gets {@code 409 event_id_conflict}, never the stored reply.
   */
  public static Future<MessageConsumer<JsonObject>> consume(Vertx vertx, Pool pool, String address,
                                                            BusSenders.Check senders, SenderInboxHandler handler) {
    return register(vertx, address, msg -> receive(vertx, pool, address, senders.admit(msg), null, handler, null, false,
        msg));
  }

  /**
   * Registers the address and its batch address ({@link #batchAddress}); both take a single event and a batch
   * envelope. The returned consumer is the address's own; unregistering it also unregisters the batch one.
   */
  private static Future<MessageConsumer<JsonObject>> register(Vertx vertx, String address,
                                                              Handler<Message<JsonObject>> receiver) {
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(address, receiver);
    MessageConsumer<JsonObject> batches = vertx.eventBus().consumer(batchAddress(address), receiver);
    return Future.all(consumer.completion(), batches.completion())
        .map(v -> (MessageConsumer<JsonObject>) new PairedConsumer(consumer, batches));
  }

  /**
   * Where a relay sends batch envelopes for {@code address}: a separate address, so that a sender finds out from the
   * bus itself ("no handlers") that a receiver predates batches or is a plain consumer, and sends one by one.
   */
  public static String batchAddress(String address) {
    return address + BATCH_SUFFIX;
  }

  static final String BATCH_SUFFIX = ".batch";

  private static void receive(Vertx vertx, Pool pool, String address, Future<AppName> admitted,
                              Function<JsonObject, Future<JsonObject>> outside, SenderInboxHandler handler,
                              SenderInboxBatchHandler batchHandler, boolean pipelined, Message<JsonObject> msg) {
    JsonObject body;
    UUID eventId;
    if (msg.body() != null && InboxBatch.isEnvelope(msg.body())) {
      receiveBatch(vertx, pool, address, admitted, outside, handler, batchHandler, pipelined, msg);
      return;
    }
    try {
      body = msg.body();
      eventId = UUID.fromString(body.getString("eventId"));
    } catch (RuntimeException e) {
      msg.fail(400, error("invalid_event_id", "a durable message needs a UUID eventId"));
      return;
    }
    InboxMetrics metrics = InboxMetrics.of(vertx);
    boolean[] duplicate = {false}; // set by whichever path found the event id already answered
    // this message runs on a context of its own: its log lines (and what it enqueues) carry the sender's ids
    Correlation.restore(Correlation.fromHeaders(msg.headers()));
    Correlation.put(Correlation.EVENT_ID, eventId);
    Future<JsonObject> applied = admitted.compose(sender ->
        applyOne(pool, address, outside, handler, eventId, sender, body, duplicate));
    applied.onSuccess(reply -> {
          // counted once committed: a rolled-back apply is retried by the sender and counted then
          if (duplicate[0]) {
            metrics.duplicate(address);
          } else {
            metrics.applied(address);
          }
          msg.reply(reply);
        })
        .onFailure(t -> answerFailure(msg, eventId, address, metrics, t));
  }

  /**
   * A message that could not be applied: an {@link InboxRejection} answers with its code (401/403 logged as worth an
   * operator's look); anything else was rolled back with nothing recorded, and answers 503 so the sender retries.
   */
  static void answerFailure(Message<JsonObject> msg, UUID eventId, String address, InboxMetrics metrics, Throwable t) {
    metrics.rejected(address, t instanceof InboxRejection r ? r.code() : 503);
    if (t instanceof InboxRejection r) {
      if (r.code() == 401 || r.code() == 403) {
        // a message from outside our apps, or an app sending where it may not: worth an operator's look
        LOG.warn("inbox refused eventId={} address={}: {} {}", eventId, address, r.code(), r.getMessage());
      } else {
        LOG.info("inbox rejected eventId={} address={}: {} {}", eventId, address, r.code(), r.getMessage());
      }
      msg.fail(r.code(), r.toJsonString());
    } else {
      LOG.warn("inbox failed eventId={} address={}: {}", eventId, address, t.toString());
      msg.fail(503, error("unavailable", "could not process the message now; retry"));
    }
  }

  /** One event in its own transaction: the reply, or a failure ({@link InboxRejection} = permanent). */
  private static Future<JsonObject> applyOne(Pool pool, String address,
                                             Function<JsonObject, Future<JsonObject>> outside,
                                             SenderInboxHandler handler, UUID eventId, AppName sender,
                                             JsonObject body, boolean[] duplicate) {
    if (outside == null) {
      return pool.withTransaction(tx -> process(tx, address, handler, eventId, sender, body, duplicate));
    }
    return pool.preparedQuery(OutboxSql.INBOX_REPLY_OF).execute(Tuple.of(eventId)).compose(seen -> {
      if (seen.rowCount() > 0) {
        duplicate[0] = true;
        return storedReply(seen.iterator().next(), sender);
      }
      return outside.apply(body).compose(prepared ->
          pool.withTransaction(tx -> process(tx, address, handler, eventId, sender, prepared, duplicate)));
    });
  }

  /**
   * A batch envelope: the sender is checked once for all of it (a refusal answers the envelope, nothing recorded);
   * then one result per event. With an {@code outside} step (a Stripe call per event) the events go one by one,
   * each in its own transaction as when sent alone; otherwise {@link InboxBatch} applies them in one.
   */
  private static void receiveBatch(Vertx vertx, Pool pool, String address, Future<AppName> admitted,
                                   Function<JsonObject, Future<JsonObject>> outside, SenderInboxHandler handler,
                                   SenderInboxBatchHandler batchHandler, boolean pipelined, Message<JsonObject> msg) {
    InboxMetrics metrics = InboxMetrics.of(vertx);
    Correlation.restore(Correlation.fromHeaders(msg.headers()));
    io.vertx.core.json.JsonArray entries = msg.body().getJsonArray(InboxBatch.EVENTS);
    admitted.compose(sender -> outside == null
            ? new InboxBatch(pool, address, handler, batchHandler, sender, metrics, pipelined, entries.size())
                .apply(entries)
            : oneByOne(pool, address, outside, handler, sender, entries, metrics))
        .onSuccess(msg::reply)
        .onFailure(t -> {
          if (t instanceof InboxRejection r) {
            metrics.rejected(address, r.code());
            LOG.warn("inbox refused a batch of {} for address={}: {} {}", entries.size(), address, r.code(),
                r.getMessage());
            msg.fail(r.code(), r.toJsonString());
          } else {
            LOG.warn("inbox failed a batch of {} for address={}: {}", entries.size(), address, t.toString());
            msg.fail(503, error("unavailable", "could not process the batch now; retry"));
          }
        });
  }

  private static Future<JsonObject> oneByOne(Pool pool, String address,
                                             Function<JsonObject, Future<JsonObject>> outside,
                                             SenderInboxHandler handler, AppName sender,
                                             io.vertx.core.json.JsonArray entries, InboxMetrics metrics) {
    io.vertx.core.json.JsonArray results = new io.vertx.core.json.JsonArray();
    Future<Void> chain = Future.succeededFuture();
    for (Object entry : entries) {
      chain = chain.compose(v -> {
        UUID eventId = entry instanceof JsonObject b ? InboxBatch.eventId(b) : null;
        if (eventId == null) {
          results.add(InboxBatch.Outcome.failed(null, 400,
              error("invalid_event_id", "a durable message needs a UUID eventId")).toJson());
          return Future.succeededFuture();
        }
        Correlation.put(Correlation.EVENT_ID, eventId);
        boolean[] duplicate = {false};
        return applyOne(pool, address, outside, handler, eventId, sender, (JsonObject) entry, duplicate)
            .transform(ar -> {
              InboxBatch.Outcome o;
              if (ar.succeeded()) {
                o = InboxBatch.Outcome.replied(eventId, ar.result(), duplicate[0]);
                if (duplicate[0]) {
                  metrics.duplicate(address);
                } else {
                  metrics.applied(address);
                }
              } else if (ar.cause() instanceof InboxRejection r) {
                o = InboxBatch.Outcome.failed(eventId, r.code(), r.toJsonString());
                metrics.rejected(address, r.code());
              } else {
                LOG.warn("inbox failed eventId={} address={}: {}", eventId, address, ar.cause().toString());
                o = InboxBatch.Outcome.failed(eventId, 503, error("unavailable",
                    "could not process the message now; retry"));
                metrics.rejected(address, 503);
              }
              results.add(o.toJson());
              return Future.<Void>succeededFuture();
            });
      });
    }
    return chain.map(v -> new JsonObject().put(InboxBatch.RESULTS, results));
  }

  private static Future<JsonObject> process(SqlConnection tx, String address, SenderInboxHandler handler,
                                            UUID eventId, AppName sender, JsonObject body,
                                            boolean[] duplicate) {
    return tx.preparedQuery(OutboxSql.INBOX_CLAIM).execute(Tuple.of(eventId, address, senderId(sender)))
        .compose(claim -> {
          if (claim.rowCount() == 0) {
            // seen before (a lost ack, a second relay): the first answer again, without applying again
            LOG.debug("inbox duplicate eventId={} address={}", eventId, address);
            duplicate[0] = true;
            return tx.preparedQuery(OutboxSql.INBOX_REPLY_OF).execute(Tuple.of(eventId))
                .compose(rows -> storedReply(rows.iterator().next(), sender));
          }
          return applySafely(handler, tx, body, sender)
              .map(reply -> reply == null ? new JsonObject() : reply)
              .onSuccess(reply -> logApplied(address, eventId))
              .compose(reply -> tx.preparedQuery(OutboxSql.INBOX_STORE_REPLY).execute(Tuple.of(eventId, reply))
                  .map(reply));
        });
  }

  /**
   * One line per applied message of a sale, so each app's log shows its part of the sale (the ids are the line's
   * fields); other traffic (a publish of thousands of cards) stays at debug.
   */
  static void logApplied(String address, UUID eventId) {
    boolean sale = Correlation.SALE_KEYS.stream().anyMatch(k -> Correlation.get(k).isPresent());
    if (sale) {
      LOG.info("inbox applied {} eventId={}", address, eventId);
    } else {
      LOG.debug("inbox applied {} eventId={}", address, eventId);
    }
  }

  /**
   * The first reply, for the app that got it. Rows written before senders were recorded (null) answer anyone,
   * as they did then.
   */
  private static Future<JsonObject> storedReply(Row seen, AppName sender) {
    String storedSender = seen.getString("sender");
    if (storedSender != null && !storedSender.equals(senderId(sender))) {
      return Future.failedFuture(new InboxRejection(409, "event_id_conflict",
          "This eventId was already sent by another app"));
    }
    return Future.succeededFuture(storedReply(seen.getValue("reply")));
  }

  private static String senderId(AppName sender) {
    return sender == null ? null : sender.id();
  }

  static Future<JsonObject> applySafely(SenderInboxHandler handler, SqlConnection tx, JsonObject body,
                                                AppName sender) {
    try {
      Future<JsonObject> applied = handler.apply(tx, body, sender);
      return applied == null ? Future.succeededFuture() : applied;
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private static JsonObject storedReply(Object value) {
    if (value == null) {
      return new JsonObject();
    }
    return value instanceof JsonObject o ? o : new JsonObject().put("value", value);
  }

  static String error(String code, String message) {
    return new JsonObject().put("error", code).put("message", message).encode();
  }
}
