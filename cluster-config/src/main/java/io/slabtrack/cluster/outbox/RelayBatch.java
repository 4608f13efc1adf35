package io.slabtrack.cluster.outbox;

import io.slabtrack.cluster.bus.BusTokens;
import io.slabtrack.cluster.logging.Correlation;
import io.slabtrack.cluster.metrics.OutboxMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One relay pass: claim due rows, deliver them, record the outcomes. No connection is held while the bus request
 * (or a reply handler's slow step, e.g. a Stripe call) is in flight: the claim is one statement that leases the rows
 * (their {@code next_attempt_at} moves past the request timeout, so other relays skip them and their aggregates'
 * later rows wait), and the outcomes are recorded in one short transaction afterwards. If the relay dies in between,
 * the lease runs out and the rows are delivered again; the receiver's inbox absorbs that. Recording is conditional on
 * the row still being pending, so a row two relays delivered (a lease outrun) has its reply applied once.
 */
final class RelayBatch {
  private static final Logger LOG = LoggerFactory.getLogger(RelayBatch.class);

  private final Vertx vertx;
  private final Pool pool;
  private final ReplyHandlers replyHandlers;
  private final RelayOptions options;
  private final BusTokens busTokens;
  private final OutboxMetrics metrics;

  /**
   * @param busTokens signs each delivery to another app with this app's service token; null: sent unsigned
   * @param metrics   counts delivered, retried and dead-lettered rows once their outcome is committed; null: not
   */
  RelayBatch(Vertx vertx, Pool pool, ReplyHandlers replyHandlers, RelayOptions options, BusTokens busTokens,
             OutboxMetrics metrics) {
    this.vertx = vertx;
    this.pool = pool;
    this.replyHandlers = replyHandlers;
    this.options = options;
    this.busTokens = busTokens;
    this.metrics = metrics;
  }

  /** @return how many rows the pass sent (0: nothing is due right now) */
  Future<Integer> run() {
    return run(() -> { });
  }

  /** @param claimedSome called once rows were claimed, before they are delivered */
  Future<Integer> run(Runnable claimedSome) {
    String claim = OutboxSql.claimChainsUnbitmapped(options.batchSize(), options.leaseMillis(), options.followers());
    return pool.query(claim).execute().map(io.vertx.sqlclient.RowSet::next).compose(rows -> {
      List<Chain> chains = chains(rows);
      if (chains.isEmpty()) {
        return Future.succeededFuture(0);
      }
      claimedSome.run();
      int[] sent = {0};
      return deliverAll(chains, System.currentTimeMillis() + options.followersUntilMillis())
          .onSuccess(delivered -> sent[0] = delivered.size())
          .compose(this::settleRepliesApart).compose(this::recordOutcomes).map(v -> sent[0]);
    });
  }

  /**
   * An aggregate's claimed rows in id order: the head, then the followers this pass may deliver after it. The chain
   * ends before the first follower that must not go now: dead (it holds the aggregate), not due, with a reply
   * handler (its reply is applied apart, after the pass), or public (published without an answer to wait for); a
   * head with a reply handler or a public one has no followers either.
   */
  private static List<Chain> chains(io.vertx.sqlclient.RowSet<Row> rows) {
    List<Row> all = new ArrayList<>();
    rows.forEach(all::add);
    all.sort(java.util.Comparator.comparingLong(r -> r.getLong("id"))); // RETURNING and UNION ALL have no order
    Map<String, Chain> byAggregate = new LinkedHashMap<>();
    for (Row r : all) {
      if (r.getBoolean("head")) {
        byAggregate.put(r.getString("aggregate"), new Chain(OutboxRow.from(r)));
      }
    }
    for (Row r : all) {
      Chain chain = byAggregate.get(r.getString("aggregate"));
      if (r.getBoolean("head") || chain == null || chain.closed) {
        continue;
      }
      OutboxRow row = OutboxRow.from(r);
      if (!chain.extensible() || !"pending".equals(row.status()) || !r.getBoolean("due")
          || row.replyHandler() != null || OutboxMessage.isPublic(row.address())) {
        chain.closed = true;
      } else {
        chain.rows.add(row);
      }
    }
    List<Chain> chains = new ArrayList<>(byAggregate.values());
    chains.sort(java.util.Comparator.comparingLong(c -> c.rows.get(0).id()));
    return chains;
  }

  /** One aggregate's rows of a pass, delivered one after the other: the next only once the one before succeeded. */
  private static final class Chain {
    final List<OutboxRow> rows = new ArrayList<>();
    int next;
    boolean closed;

    Chain(OutboxRow head) {
      rows.add(head);
    }

    boolean extensible() {
      OutboxRow head = rows.get(0);
      return head.replyHandler() == null && !OutboxMessage.isPublic(head.address());
    }

    OutboxRow current() {
      return rows.get(next);
    }
  }

  /**
   * Replies with a handler go on without the batch: their {@link ReplyHandler#prepare} may be a slow call (a Stripe
   * capture), and the relay starts its next batch only once this one is recorded, so waiting for them would hold up
   * every other message of the node. They are recorded in a short transaction of their own once prepared. Their rows
   * stay leased meanwhile, so their aggregates' next messages still wait for them.
   *
   * @return the rest, recorded by the batch
   */
  private Future<List<Result>> settleRepliesApart(List<Result> delivered) {
    List<Result> withHandler = new ArrayList<>();
    List<Result> rest = new ArrayList<>();
    for (Result r : delivered) {
      (r.failure() == null && r.row().replyHandler() != null ? withHandler : rest).add(r);
    }
    if (!withHandler.isEmpty()) {
      // recorded: their aggregates' next messages (and what the handlers enqueued) are due now
      prepareAll(withHandler).compose(this::recordOutcomes)
          .onSuccess(v -> vertx.eventBus().publish(Outbox.WAKE_ADDRESS, null, new DeliveryOptions().setLocalOnly(true)))
          .onFailure(t -> LOG.warn("outbox replies not recorded now (their leases run out and they are delivered"
              + " again): {}", t.toString()));
    }
    return Future.succeededFuture(rest);
  }

  // BEGIN/COMMIT by hand, not withTransaction: the client's Transaction turns COMMIT into ROLLBACK once any
  // statement failed, even after ROLLBACK TO SAVEPOINT recovered it, and one bad reply handler must not
  // undo the batch.
  private Future<Void> recordOutcomes(List<Result> results) {
    if (results.isEmpty()) {
      return Future.succeededFuture();
    }
    Tally tally = new Tally();
    return pool.getConnection().compose(conn -> conn.query(OutboxSql.BEGIN).execute()
        .compose(v -> recordAll(conn, results, tally))
        .transform(ar -> ar.succeeded()
            ? conn.query(OutboxSql.COMMIT).execute().<Void>mapEmpty()
            : conn.query(OutboxSql.ROLLBACK).execute().transform(x -> Future.<Void>failedFuture(ar.cause())))
        // (what reply handlers enqueued wakes the relays once recorded: settleRepliesApart, the pass's next run)
        .eventually(() -> {
          Outbox.enqueuedByHand(conn);
          return conn.close();
        }))
        .onSuccess(v -> tally.report(metrics));
  }

  /** What one batch recorded, counted only once its transaction committed. */
  private static final class Tally {
    int delivered;
    int retried;
    int dead;

    void report(OutboxMetrics metrics) {
      if (metrics != null) {
        metrics.delivered(delivered);
        for (int i = 0; i < retried; i++) {
          metrics.retried();
        }
        for (int i = 0; i < dead; i++) {
          metrics.deadLettered();
        }
      }
    }
  }

  /** Each reply handler's step outside the transaction ({@link ReplyHandler#prepare}), all at once. */
  private Future<List<Result>> prepareAll(List<Result> delivered) {
    List<Future<Result>> prepared = new ArrayList<>(delivered.size());
    for (Result r : delivered) {
      ReplyHandler handler = r.failure() != null || r.row().replyHandler() == null ? null
          : replyHandlers.find(r.row().replyHandler()).orElse(null);
      prepared.add(handler == null ? Future.succeededFuture(r) : prepareSafely(handler, r.row(), r.reply())
          .map(input -> new Result(r.row(), r.reply(), null, input))
          .otherwise(t -> Result.failed(r.row(), DeliveryFailure.replyHandlerFailed(t))));
    }
    return Future.all(prepared).map(all -> {
      List<Result> out = new ArrayList<>(prepared.size());
      prepared.forEach(f -> out.add(f.result()));
      return out;
    });
  }

  private static Future<JsonObject> prepareSafely(ReplyHandler handler, OutboxRow row, JsonObject reply) {
    try {
      Future<JsonObject> prepared = handler.prepare(row, reply);
      return prepared == null ? Future.succeededFuture(reply) : prepared;
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * The heads of a pass are of distinct aggregates, so they all go out at once without breaking any order. Rows
   * without a reply handler go in batch envelopes, one per destination address (and correlation): a publish of
   * thousands of cards is a handful of bus messages. Rows with a reply handler (claims, releases) go one per message.
   * Once an envelope is answered, the followers of the events it delivered go out in the next envelopes, until
   * {@code followersUntil} (epoch ms); a chain whose row failed stops there (its later rows wait for a later pass).
   */
  private Future<List<Result>> deliverAll(List<Chain> chains, long followersUntil) {
    List<Future<List<Result>>> inFlight = new ArrayList<>();
    List<Chain> plain = new ArrayList<>();
    for (Chain chain : chains) {
      OutboxRow row = chain.current();
      if (OutboxMessage.isPublic(row.address())) {
        // a public event has listeners outside the cluster, none of whom replies: handing it to the bus is delivery
        DeliveryOptions publish = new DeliveryOptions();
        Correlation.toHeaders(row.correlation(), publish);
        vertx.eventBus().publish(row.address(), busBody(row), publish);
        inFlight.add(Future.succeededFuture(List.of(Result.replied(row, new JsonObject().put("published", true)))));
      } else if (row.replyHandler() == null) {
        plain.add(chain);
      } else {
        inFlight.add(deliverOne(row).map(List::of));
      }
    }
    List<Result> results = new ArrayList<>();
    Future<Void> chained = plain.isEmpty() ? Future.succeededFuture() : deliverChains(plain, followersUntil, results);
    return Future.all(Future.all(inFlight), chained).map(all -> {
      inFlight.forEach(f -> results.addAll(f.result()));
      return results;
    });
  }

  /** Each chain's current row, in envelopes; then, as each envelope is answered, its chains' next rows. */
  private Future<Void> deliverChains(List<Chain> chains, long followersUntil, List<Result> results) {
    Map<String, List<Chain>> envelopes = new LinkedHashMap<>();
    for (Chain chain : chains) {
      OutboxRow row = chain.current();
      String key = row.address() + '\n' + (row.correlation() == null ? "" : row.correlation().encode());
      envelopes.computeIfAbsent(key, k -> new ArrayList<>()).add(chain);
    }
    List<Future<Void>> inFlight = new ArrayList<>();
    for (List<Chain> group : envelopes.values()) {
      for (int from = 0; from < group.size(); from += ENVELOPE_MAX) {
        List<Chain> chunk = group.subList(from, Math.min(group.size(), from + ENVELOPE_MAX));
        List<OutboxRow> rows = new ArrayList<>(chunk.size());
        chunk.forEach(c -> rows.add(c.current()));
        // an envelope even for one event: its outcome means the same whatever the batch size (a handler's failure
        // is poison in an envelope, where the rest of the transaction committed; alone it could be the database)
        inFlight.add(deliverEnvelope(rows).compose(answered -> {
          results.addAll(answered);
          List<Chain> onward = new ArrayList<>();
          boolean inTime = System.currentTimeMillis() < followersUntil;
          for (int i = 0; i < chunk.size(); i++) {
            Chain chain = chunk.get(i);
            // answers come in envelope order, one per row
            if (answered.get(i).failure() == null && inTime && chain.next + 1 < chain.rows.size()) {
              chain.next++;
              onward.add(chain);
            }
          }
          return onward.isEmpty() ? Future.succeededFuture() : deliverChains(onward, followersUntil, results);
        }));
      }
    }
    return Future.all(inFlight).mapEmpty();
  }

  /**
   * Events per envelope: big enough that a publish is a handful of messages, small enough to apply well in time
   * (500 applied in one transaction take tens of milliseconds, far inside the request timeout). 250 → 500 measured
   * 9,237 / 9,759 → 9,948 / 10,280 msg/s to another JVM, back to back on a quiet machine (bench outbox).
   */
  static final int ENVELOPE_MAX = 500;

  private DeliveryOptions deliveryOptions(OutboxRow row) {
    // signed now, not at enqueue: a row may wait far longer than a token lives
    DeliveryOptions delivery = new DeliveryOptions().setSendTimeout(options.requestTimeoutMillis());
    // the enqueuing request's ids go along, so the receiver's log lines of this message carry them too
    Correlation.toHeaders(row.correlation(), delivery);
    if (busTokens != null) {
      busTokens.sign(row.address(), delivery);
    }
    return delivery;
  }

  private Future<Result> deliverOne(OutboxRow row) {
    return vertx.eventBus().request(row.address(), busBody(row), deliveryOptions(row))
        .map(m -> Result.replied(row, replyJson(m.body())))
        .otherwise(t -> Result.failed(row, DeliveryFailure.classify(t)));
  }

  /**
   * Rows of one address (and correlation) as one envelope to its batch address, answered with one result per event.
   * Nobody on the batch address (a receiver from before batches, a plain consumer) sends them one by one instead.
   */
  private Future<List<Result>> deliverEnvelope(List<OutboxRow> rows) {
    JsonArray events = new JsonArray(new ArrayList<>(rows.size()));
    for (OutboxRow row : rows) {
      events.add(busBody(row));
    }
    OutboxRow first = rows.get(0);
    return vertx.eventBus().request(Inbox.batchAddress(first.address()), new JsonObject().put(InboxBatch.EVENTS, events),
            deliveryOptions(first))
        .map(m -> resultsOf(rows, m.body()))
        .recover(t -> {
          if (t instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
            List<Future<Result>> singles = new ArrayList<>(rows.size());
            rows.forEach(row -> singles.add(deliverOne(row)));
            return Future.all(singles).map(all -> {
              List<Result> out = new ArrayList<>(rows.size());
              singles.forEach(f -> out.add(f.result()));
              return out;
            });
          }
          // the envelope as a whole: no answer in time, 503, a refused sender — the same for each of its events
          DeliveryFailure failure = DeliveryFailure.classify(t);
          List<Result> out = new ArrayList<>(rows.size());
          rows.forEach(row -> out.add(Result.failed(row, failure)));
          return Future.succeededFuture(out);
        });
  }

  /** Each event's own outcome; an answer that does not match the envelope counts for none of them (retried). */
  private static List<Result> resultsOf(List<OutboxRow> rows, Object body) {
    JsonArray results = body instanceof JsonObject o && o.getValue(InboxBatch.RESULTS) instanceof JsonArray a ? a : null;
    List<Result> out = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      OutboxRow row = rows.get(i);
      Object entry = results != null && results.size() == rows.size() ? results.getValue(i) : null;
      if (!(entry instanceof JsonObject r) || !row.eventId().toString().equals(r.getString("eventId"))) {
        out.add(Result.failed(row, DeliveryFailure.transientFailure("batch answer does not match the envelope")));
      } else if (r.containsKey("failureCode")) {
        int code = r.getValue("failureCode") instanceof Number n ? n.intValue() : 500;
        out.add(Result.failed(row, DeliveryFailure.classify(
            new ReplyException(ReplyFailure.RECIPIENT_FAILURE, code, r.getString("failure")))));
      } else {
        out.add(Result.replied(row, replyJson(r.getValue("reply"))));
      }
    }
    return out;
  }

  /**
   * Outcomes are written one row after the other: a savepoint spans one row's reply handler, and queries of
   * other rows interleaved inside it would be rolled back with it.
   */
  private Future<Void> recordAll(SqlConnection tx, List<Result> results, Tally tally) {
    // plain acknowledgements (the bulk of the traffic) are marked delivered in one statement; rows with a reply
    // handler or a failure go one by one, each reply handler inside its own savepoint
    List<Result> plain = new ArrayList<>();
    List<Result> rest = new ArrayList<>();
    for (Result r : results) {
      (r.failure() == null && r.row().replyHandler() == null ? plain : rest).add(r);
    }
    Future<Void> chain = plain.isEmpty() ? Future.succeededFuture() : markAllDelivered(tx, plain, tally);
    for (Result result : rest) {
      chain = chain.compose(v -> record(tx, result, tally));
    }
    return chain;
  }

  private Future<Void> markAllDelivered(SqlConnection tx, List<Result> plain, Tally tally) {
    Long[] ids = plain.stream().map(r -> r.row().id()).toArray(Long[]::new);
    JsonObject[] replies = plain.stream().map(Result::reply).toArray(JsonObject[]::new);
    return tx.preparedQuery(OutboxSql.MARK_ALL_DELIVERED)
        .execute(Tuple.tuple().addArrayOfLong(ids).addArrayOfJsonObject(replies))
        .map(rows -> {
          tally.delivered += rows.rowCount();
          return (Void) null;
        });
  }

  private Future<Void> record(SqlConnection tx, Result result, Tally tally) {
    OutboxRow row = result.row();
    if (result.failure() != null) {
      return recordFailure(tx, row, result.failure(), tally);
    }
    if (row.replyHandler() == null) {
      return markDelivered(tx, row, result.reply(), tally);
    }
    ReplyHandler handler = replyHandlers.find(row.replyHandler()).orElse(null);
    if (handler == null) {
      // another node of the app may know it (rolling deploy): wait rather than lose the reply
      return recordFailure(tx, row,
          DeliveryFailure.transientFailure("no reply handler registered as '" + row.replyHandler() + "'"), tally);
    }
    // marked first: if another relay (a lease outrun) recorded this row already, the reply is not applied again
    return tx.query(OutboxSql.SAVEPOINT).execute()
        .compose(v -> tx.preparedQuery(OutboxSql.MARK_DELIVERED).execute(Tuple.of(row.id(), result.reply())))
        .compose(marked -> marked.rowCount() == 0 ? Future.succeededFuture(0)
            : applySafely(handler, tx, row, result.handlerInput()).map(1))
        .compose(marked -> tx.query(OutboxSql.RELEASE_SAVEPOINT).execute().map(v -> {
          tally.delivered += marked;
          return (Void) null;
        }))
        .recover(t -> tx.query(OutboxSql.ROLLBACK_TO_SAVEPOINT).execute()
            .compose(v -> recordFailure(tx, row, DeliveryFailure.replyHandlerFailed(t), tally)));
  }

  private static Future<Void> applySafely(ReplyHandler handler, SqlConnection tx, OutboxRow row, JsonObject reply) {
    try {
      Future<Void> applied = handler.apply(tx, row, reply);
      return applied == null ? Future.succeededFuture() : applied;
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<Void> markDelivered(SqlConnection tx, OutboxRow row, JsonObject reply, Tally tally) {
    return tx.preparedQuery(OutboxSql.MARK_DELIVERED).execute(Tuple.of(row.id(), reply)).map(rows -> {
      tally.delivered += rows.rowCount();
      return (Void) null;
    });
  }

  private Future<Void> recordFailure(SqlConnection tx, OutboxRow row, DeliveryFailure failure, Tally tally) {
    int failures = row.failures() + (failure.poison() ? 1 : 0);
    if (failure.permanent() || failures >= options.maxFailures()) {
      String reason = failure.permanent() ? failure.description()
          : "poison message: failed " + failures + " times; last: " + failure.description();
      boolean holds = options.holdsAggregate(row.address());
      MDC.MDCCloseable[] ids = Correlation.inMdc(row.correlation());
      try {
        LOG.warn("outbox dead-lettered id={} eventId={} aggregate={} address={} failures={} holdsAggregate={}: {}",
            row.id(), row.eventId(), row.aggregate(), row.address(), failures, holds, reason);
      } finally {
        Correlation.closeMdc(ids);
      }
      return tx.preparedQuery(OutboxSql.MARK_DEAD).execute(Tuple.of(row.id(), reason, failures, holds)).map(rows -> {
        tally.dead += rows.rowCount();
        return (Void) null;
      });
    }
    int failedAttempts = row.attempts() + 1;
    long delay = options.backoffMillis(failedAttempts);
    LOG.debug("outbox retry id={} eventId={} attempt={} failures={} in {} ms: {}", row.id(), row.eventId(),
        failedAttempts, failures, delay, failure.description());
    return tx.preparedQuery(OutboxSql.MARK_RETRY)
        .execute(Tuple.of(row.id(), (int) Math.min(delay, Integer.MAX_VALUE), failure.description(), failures))
        .map(rows -> {
          tally.retried += rows.rowCount();
          return (Void) null;
        });
  }

  private static JsonObject busBody(OutboxRow row) {
    // occurredAt and eventId were fixed at enqueue; make sure a hand-written row still carries its id. A row that has
    // it goes as read (no copy of thousands of snapshots a pass: the bus copies or encodes what it sends anyway)
    String eventId = row.eventId().toString();
    return eventId.equals(row.payload().getValue("eventId")) ? row.payload()
        : row.payload().copy().put("eventId", eventId);
  }

  private static JsonObject replyJson(Object body) {
    if (body == null) {
      return new JsonObject();
    }
    return body instanceof JsonObject o ? o : new JsonObject().put("value", body);
  }

  /** @param handlerInput what the reply handler applies: the reply, or what its {@code prepare} made of it */
  private record Result(OutboxRow row, JsonObject reply, DeliveryFailure failure, JsonObject handlerInput) {
    static Result replied(OutboxRow row, JsonObject reply) {
      return new Result(row, reply, null, reply);
    }

    static Result failed(OutboxRow row, DeliveryFailure failure) {
      return new Result(row, null, failure, null);
    }
  }
}
