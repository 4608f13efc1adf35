package io.slabtrack.cluster.outbox;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.slabtrack.cluster.logging.Correlation;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * Durable delivery between apps: a transactional outbox on the sender, an inbox on the receiver, the event
 * bus in between. A message is never lost once its sender's transaction commits, is applied at most once by
 * its receiver, and the messages of one aggregate arrive in order.
 *
 * <h2>Sending</h2>
 * Call {@link #enqueue(SqlConnection, OutboxMessage)} with the connection of the transaction that changes your
 * state ({@code pool.withTransaction(tx -> update(tx).compose(v -> Outbox.enqueue(tx, message)))}): the
 * message exists if and only if the change committed. Enqueueing an event id twice is a no-op. Every node of
 * the app deploys an {@link OutboxRelayVerticle}; the relays share the table safely.
 *
 * <p>The relay sends the payload (plus {@code eventId} and {@code occurredAt}) as a request to the message's
 * address and waits for the reply. It takes one message at a time per aggregate (e.g. {@code "card:123"}),
 * in enqueue order; different aggregates go in parallel.
 *
 * <h2>What the receiver's answer means</h2>
 * <ul>
 *   <li><b>A reply</b>: delivered. The row becomes {@code delivered} and keeps the reply.</li>
 *   <li><b>A failure with code 400–499</b> except 401 ({@code msg.fail(422, …)}, or {@link InboxRejection}):
 *   rejected for good. The row becomes {@code dead} with the reason in {@code last_error}, and the aggregate's
 *   next messages proceed — unless the address is one where order matters ({@link RelayOptions#holdingAddresses()}),
 *   where the dead row holds them back until an operator replays it ({@code POST /api/outbox/{id}/replay}, see
 *   {@link OutboxRoutes}) or lets the aggregate go on ({@code POST /api/outbox/{id}/release-aggregate}).</li>
 *   <li><b>A failure code of 500 (or none), or our own reply handler failing</b>: poison, probably. Retried with
 *   backoff, and dead-lettered (as above) after {@link RelayOptions#maxFailures()} such failures.</li>
 *   <li><b>Anything else</b> — no consumer registered (receiver down), no reply within the request timeout, 503,
 *   401 (our service token not accepted yet): transient. Retried for as long as it takes with capped exponential
 *   backoff (with jitter); the aggregate's later messages wait behind it.</li>
 * </ul>
 * So a receiver must answer 503 for "try later", 4xx only when a retry can never succeed, and 500 when its own
 * handler broke.
 *
 * <h2>Replies that change the sender's state</h2>
 * For a request-reply exchange (a claim answered {@code won}/{@code lost}), declare a {@link ReplyRoute} constant,
 * build the message with {@link ReplyRoute#message} and register the route's handler in the {@link ReplyHandlers}
 * given to the relay ({@link ReplyHandlers#register(ReplyRoute, ReplyRoute.Handler)}). The
 * handler runs in the same transaction that marks the row delivered, however long after the enqueue the
 * reply comes: the reply's effect and "delivered" commit together. A failing handler rolls back that row
 * only, and the message is retried (the receiver's inbox answers the retry with the same reply), up to
 * {@link RelayOptions#maxFailures()} times. A handler's slow call (Stripe) goes in {@link ReplyHandler#prepare},
 * which runs before that transaction.
 *
 * <p>No relay holds a database connection while a request is on the bus: rows are claimed with a lease
 * ({@link RelayOptions#leaseMillis()}), delivered, and their outcomes recorded in a short transaction after.
 *
 * <h2>Receiving</h2>
 * Register with {@link Inbox#consume}. Delivery is at-least-once (a reply can be lost after the receiver
 * committed), so the inbox records each {@code eventId} in the receiver's database in the same transaction
 * as the handler's changes; a redelivery is answered with the stored first reply and not applied again.
 * A message without a valid {@code eventId} is rejected with 400.
 *
 * <h2>Operating it</h2>
 * Rows are never deleted by the mechanism; {@link OutboxRoutes} shows counts and the rows needing attention.
 */
public final class Outbox {
  /** Local (this JVM) wake-up call to the relays once an enqueueing transaction has committed. */
  public static final String WAKE_ADDRESS = "slabtrack.outbox.wake";

  private Outbox() {
  }

  /**
   * Writes the message in the caller's transaction; a duplicate event id counts as already enqueued. When the
   * transaction commits, this JVM's relays are woken at once. (A NOTIFY from the database would wake every node,
   * but PostgreSQL serialises the commits of all notifying transactions of a database — measured here as ~150
   * claims/s — so other nodes' relays rely on their poll, and the one on this node does the work right away.)
   */
  public static Future<Void> enqueue(SqlConnection tx, OutboxMessage message) {
    return tx.preparedQuery(OutboxSql.ENQUEUE)
        .execute(Tuple.of(message.eventId(), message.aggregate(), message.address(), message.busPayload(),
            message.replyHandler(), correlationOf(message)))
        .onSuccess(rows -> wakeRelaysAfterCommit(tx))
        .mapEmpty();
  }

  /**
   * {@link #enqueue} for many messages in one statement (a publish of thousands of cards): rows get their ids in list
   * order, so messages of one aggregate keep the order they have in {@code messages}.
   */
  public static Future<Void> enqueueAll(SqlConnection tx, java.util.List<OutboxMessage> messages) {
    return enqueueAll(tx, messages, null);
  }

  /**
   * {@link #enqueueAll} for messages of several requests or messages decided together (claims of one group): message
   * i carries {@code ids.get(i)} as {@link #correlationOf} would carry the current ids of its own.
   */
  public static Future<Void> enqueueAll(SqlConnection tx, java.util.List<OutboxMessage> messages,
                                        java.util.List<JsonObject> ids) {
    if (ids != null && ids.size() != messages.size()) {
      throw new IllegalArgumentException("one set of ids per message");
    }
    // in statements of ENQUEUE_CHUNK rows: encoding thousands of card snapshots as one parameter would hold the
    // event loop for seconds on a busy machine
    Future<Void> chain = Future.succeededFuture();
    for (int from = 0; from < messages.size(); from += ENQUEUE_CHUNK) {
      java.util.List<OutboxMessage> chunk = messages.subList(from, Math.min(messages.size(), from + ENQUEUE_CHUNK));
      java.util.List<JsonObject> chunkIds = ids == null ? null
          : ids.subList(from, Math.min(messages.size(), from + ENQUEUE_CHUNK));
      chain = chain.compose(v -> enqueueChunk(tx, chunk, chunkIds));
    }
    return chain;
  }

  private static final int ENQUEUE_CHUNK = 500;

  private static Future<Void> enqueueChunk(SqlConnection tx, java.util.List<OutboxMessage> messages,
                                           java.util.List<JsonObject> ids) {
    if (messages.isEmpty()) {
      return Future.succeededFuture();
    }
    int n = messages.size();
    java.util.UUID[] eventIds = new java.util.UUID[n];
    String[] aggregates = new String[n];
    String[] addresses = new String[n];
    JsonObject[] payloads = new JsonObject[n];
    String[] replyHandlers = new String[n];
    JsonObject[] correlations = new JsonObject[n];
    for (int i = 0; i < n; i++) {
      OutboxMessage m = messages.get(i);
      eventIds[i] = m.eventId();
      aggregates[i] = m.aggregate();
      addresses[i] = m.address();
      payloads[i] = m.busPayload();
      replyHandlers[i] = m.replyHandler();
      correlations[i] = ids == null ? correlationOf(m) : correlationOf(m, ids.get(i));
    }
    return tx.preparedQuery(OutboxSql.ENQUEUE_ALL)
        .execute(Tuple.tuple().addArrayOfUUID(eventIds).addArrayOfString(aggregates).addArrayOfString(addresses)
            .addArrayOfJsonObject(payloads).addArrayOfString(replyHandlers).addArrayOfJsonObject(correlations))
        .onSuccess(rows -> wakeRelaysAfterCommit(tx))
        .mapEmpty();
  }

  /**
   * {@link #enqueueAll} for messages a query builds in the database (a publish of thousands of cards): none of them
   * is built, encoded or parsed in this JVM, so a big commit costs the event loop nothing. {@code select} yields
   * {@code event_id uuid, aggregate text, address text, payload jsonb, ord} and may use {@code $1..$n} of {@code args};
   * rows get their ids in {@code ord} order (so messages of one aggregate keep it). The payload gets its
   * {@code eventId} and {@code occurredAt} (now) as {@link OutboxMessage#busPayload()} would add them; the
   * correlation is the current one (the payloads must not name a sale: {@link #correlationOf} would add it).
   *
   * @return how many messages were enqueued (a duplicate event id is not)
   */
  public static Future<Integer> enqueueSelected(SqlConnection tx, String select, Tuple args) {
    return enqueueSelected(tx, select, args, false);
  }

  /**
   * {@link #enqueueSelected} whose {@code select} also yields each message's own {@code correlation jsonb} (the ids of
   * the claim it belongs to, when several claims' messages are built in one statement), used instead of the current
   * ids; its eventId is dropped as {@link #correlationOf} drops it.
   */
  public static Future<Integer> enqueueSelectedWithIds(SqlConnection tx, String select, Tuple args) {
    return enqueueSelected(tx, select, args, true);
  }

  private static Future<Integer> enqueueSelected(SqlConnection tx, String select, Tuple args, boolean ownIds) {
    int n = args.size();
    JsonObject correlation = Correlation.currentJson();
    if (correlation != null) {
      correlation.remove(Correlation.EVENT_ID);
    }
    Tuple all = Tuple.tuple();
    for (int i = 0; i < n; i++) {
      all.addValue(args.getValue(i));
    }
    all.addString(java.time.Instant.now().toString());
    if (!ownIds) {
      all.addValue(correlation == null || correlation.isEmpty() ? null : correlation);
    }
    String sql = "INSERT INTO outbox (event_id, aggregate, address, payload, correlation)"
        + " SELECT m.event_id, m.aggregate, m.address,"
        + " m.payload || jsonb_build_object('eventId', m.event_id::text, 'occurredAt', $" + (n + 1) + "::text),"
        + (ownIds ? " nullif(m.correlation - '" + Correlation.EVENT_ID + "', '{}'::jsonb)" : " $" + (n + 2) + "::jsonb")
        + " FROM (" + select + ") AS m ORDER BY m.ord"
        + " ON CONFLICT (event_id) DO NOTHING";
    return tx.preparedQuery(sql).execute(all)
        .onSuccess(rows -> wakeRelaysAfterCommit(tx))
        .map(io.vertx.sqlclient.SqlResult::rowCount);
  }

  /**
   * The ids of the request or message enqueueing this one, plus the sale ids its payload names (a claim enqueued
   * by a timer has no request around it). Its own eventId is not among them: the receiver logs that one.
   */
  static JsonObject correlationOf(OutboxMessage message) {
    return correlationOf(message, Correlation.currentJson());
  }

  private static JsonObject correlationOf(OutboxMessage message, JsonObject current) {
    JsonObject ids = current == null ? new JsonObject() : current.copy();
    ids.remove(Correlation.EVENT_ID);
    for (String key : Correlation.SALE_KEYS) {
      Object named = message.payload().getValue(key);
      if (!ids.containsKey(key) && (named instanceof String || named instanceof Number)
          && Correlation.wellFormed(named.toString())) {
        ids.put(key, named.toString());
      }
    }
    return ids.isEmpty() ? null : ids;
  }

  /**
   * Once the client's transaction committed. A transaction begun by hand (no {@link Transaction}: {@link InboxBatch},
   * {@link RelayBatch}) wakes the relays itself after its COMMIT ({@link #wakeRelays}): waking them here, before the
   * commit, had them claim before the rows could be seen (three wasted claims per group of claims).
   */
  private static void wakeRelaysAfterCommit(SqlConnection tx) {
    Context context = Vertx.currentContext();
    Transaction transaction = tx.transaction();
    if (transaction == null) {
      ENQUEUED_BY_HAND.put(tx, Boolean.TRUE);
      return;
    }
    if (context != null) {
      transaction.completion().onSuccess(v -> wakeRelays(context.owner()));
    }
  }

  /**
   * Connections whose transaction, begun by hand, enqueued rows: its committer wakes the relays only then
   * ({@link #enqueuedByHand}), so an inbox batch whose handlers enqueue nothing starts no relay pass. Weak keys: at
   * most one entry per pooled connection.
   */
  private static final java.util.Map<SqlConnection, Boolean> ENQUEUED_BY_HAND =
      java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

  /** Whether the transaction begun by hand on {@code conn} enqueued rows; forgets it (call once it ended). */
  static boolean enqueuedByHand(SqlConnection conn) {
    return ENQUEUED_BY_HAND.remove(conn) != null;
  }

  /** Wakes this JVM's relays: rows were committed just now. */
  static void wakeRelays(Vertx vertx) {
    vertx.eventBus().publish(WAKE_ADDRESS, null, new DeliveryOptions().setLocalOnly(true));
  }
}
