package io.slabtrack.core.reconcile;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.cluster.outbox.Outbox;
import io.slabtrack.cluster.outbox.OutboxMessage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Reconciler runs and their findings in core's database: what the operator API reads while and after a run works. */
final class RunStore {
  static final Duration STALE_AFTER = Duration.ofMinutes(5);
  private static final int BATCH = 500;

  static final String FAIL_ABANDONED = """
      UPDATE reconcile_runs SET status = 'failed', error = 'the node running it stopped', finished_at = now()
      WHERE status = 'running' AND heartbeat_at < now() - $1::int * interval '1 second'""";
  static final String INSERT = """
      INSERT INTO reconcile_runs (id, mode, channel, trigger, options, status, phase, requested_by, counts)
      VALUES ($1, $2, $3, $4, $5, 'running', 'starting', $6, $7) RETURNING *""";
  static final String RUNNING = "SELECT id FROM reconcile_runs WHERE status = 'running'";
  static final String PROGRESS = """
      UPDATE reconcile_runs SET phase = $2, channels = $3, heartbeat_at = now() WHERE id = $1""";
  static final String HEARTBEAT = "UPDATE reconcile_runs SET heartbeat_at = now() WHERE id = $1 AND status = 'running'";
  static final String FINISH = """
      UPDATE reconcile_runs SET status = $2, phase = $3, channels = $4, counts = $5, healed = $6, cards_checked = $7,
        error = $8, finished_at = now(), heartbeat_at = now() WHERE id = $1""";
  static final String GET = "SELECT * FROM reconcile_runs WHERE id = $1";
  static final String PURGE = """
      DELETE FROM reconcile_runs WHERE status <> 'running' AND started_at < now() - $1::int * interval '1 day'""";
  static final String LATEST = "SELECT * FROM reconcile_runs ORDER BY started_at DESC LIMIT $1";
  static final String LATEST_DONE = """
      SELECT * FROM reconcile_runs WHERE status = 'done' ORDER BY finished_at DESC LIMIT 1""";
  static final String INSERT_DRIFT = """
      INSERT INTO reconcile_drift (run_id, seq, kind, channel, card_id, order_ref, evidence, fix, heal)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)""";
  static final String DRIFT = """
      SELECT * FROM reconcile_drift WHERE run_id = $1 AND ($2::text IS NULL OR kind = $2) AND seq > $3
      ORDER BY seq LIMIT $4""";

  private final Pool pool;

  RunStore(Pool pool) {
    this.pool = pool;
  }

  /** Starts a run row, or refuses with 409 while another run is going (one at a time across all core nodes). */
  Future<JsonObject> create(UUID id, ReconcileOptions options, String trigger, String requestedBy) {
    return pool.preparedQuery(FAIL_ABANDONED).execute(Tuple.of((int) STALE_AFTER.toSeconds()))
        .compose(x -> pool.preparedQuery(INSERT).execute(Tuple.tuple().addUUID(id).addString(options.mode())
            .addString(options.channel() == null ? null : options.channel().slug).addString(trigger)
            .addValue(options.toJson()).addString(requestedBy).addValue(zeroCounts())))
        .map(rows -> json(rows.iterator().next()))
        .recover(e -> {
          if (e instanceof PgException pg && "23505".equals(pg.getSqlState())) {
            return pool.query(RUNNING).execute().compose(rows -> Future.failedFuture(new ApiException(409,
                "run_in_progress", "A reconciler run is already going; wait for it to finish",
                new JsonObject().put("runId", rows.size() == 0 ? null
                    : rows.iterator().next().getUUID("id").toString()))));
          }
          return Future.failedFuture(e);
        });
  }

  Future<Void> progress(UUID id, String phase, JsonObject channels) {
    return pool.preparedQuery(PROGRESS).execute(Tuple.of(id, phase, channels)).mapEmpty();
  }

  Future<Void> heartbeat(UUID id) {
    return pool.preparedQuery(HEARTBEAT).execute(Tuple.of(id)).mapEmpty();
  }

  Future<Void> finish(UUID id, String status, JsonObject channels, JsonObject counts, int healed, int cardsChecked,
                      String error) {
    // the public event commits with the run's end: listeners hear of every finished run, and only of those
    JsonObject event = new JsonObject().put("eventId", UUID.randomUUID().toString()).put("type", "reconcile.finished")
        .put("schemaVersion", Addresses.PUBLIC_SCHEMA_VERSION).put("runId", id.toString()).put("status", status)
        .put("driftTotal", counts.getInteger("total", 0)).put("healed", healed).put("cardsChecked", cardsChecked);
    return pool.withTransaction(tx -> tx.preparedQuery(FINISH).execute(Tuple.tuple().addUUID(id).addString(status)
            .addString("done".equals(status) ? "finished" : "failed").addValue(channels).addValue(counts)
            .addInteger(healed).addInteger(cardsChecked).addString(error))
        .compose(x -> Outbox.enqueue(tx, OutboxMessage.of(Addresses.PUBLIC_RECONCILE_FINISHED,
            Addresses.PUBLIC_RECONCILE_FINISHED, event))));
  }

  /** Writes the findings with what heal mode did ({@code heals} parallel to {@code drifts}; null in report mode). */
  Future<Void> saveDrift(UUID runId, List<Drift> drifts, List<String> heals) {
    Future<Void> chain = Future.succeededFuture();
    for (int from = 0; from < drifts.size(); from += BATCH) {
      int start = from;
      chain = chain.compose(x -> {
        List<Tuple> batch = new ArrayList<>();
        for (int i = start; i < Math.min(start + BATCH, drifts.size()); i++) {
          Drift d = drifts.get(i);
          batch.add(Tuple.tuple().addUUID(runId).addInteger(i + 1).addString(d.kind().wire()).addString(d.channel())
              .addLong(d.cardId()).addString(d.orderRef()).addValue(d.evidence()).addString(d.fix())
              .addString(heals == null ? null : heals.get(i)));
        }
        return pool.preparedQuery(INSERT_DRIFT).executeBatch(batch).mapEmpty();
      });
    }
    return chain;
  }

  /** Forgets runs (and their findings) older than {@code days}; the conflict log keeps every heal for good. */
  Future<Integer> purgeOlderThan(int days) {
    return pool.preparedQuery(PURGE).execute(Tuple.of(days)).map(rows -> rows.rowCount());
  }

  Future<JsonObject> get(UUID id) {
    return pool.preparedQuery(GET).execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : json(rows.iterator().next()));
  }

  Future<JsonArray> latest(int limit) {
    return pool.preparedQuery(LATEST).execute(Tuple.of(limit)).map(rows -> {
      JsonArray out = new JsonArray();
      rows.forEach(r -> out.add(json(r)));
      return out;
    });
  }

  Future<JsonObject> latestDone() {
    return pool.query(LATEST_DONE).execute().map(rows -> rows.size() == 0 ? null : json(rows.iterator().next()));
  }

  Future<JsonArray> drift(UUID runId, String kind, int afterSeq, int limit) {
    return pool.preparedQuery(DRIFT).execute(Tuple.of(runId, kind, afterSeq, limit)).map(rows -> {
      JsonArray out = new JsonArray();
      for (Row r : rows) {
        out.add(new JsonObject().put("seq", r.getInteger("seq")).put("kind", r.getString("kind"))
            .put("channel", r.getString("channel")).put("cardId", r.getLong("card_id"))
            .put("orderRef", r.getString("order_ref")).put("evidence", r.getValue("evidence"))
            .put("fix", r.getString("fix")).put("heal", r.getString("heal")));
      }
      return out;
    });
  }

  static JsonObject zeroCounts() {
    JsonObject counts = new JsonObject();
    for (DriftKind kind : DriftKind.values()) {
      counts.put(kind.wire(), 0);
    }
    return counts;
  }

  static JsonObject json(Row r) {
    String id = r.getUUID("id").toString();
    OffsetDateTime started = r.getOffsetDateTime("started_at");
    OffsetDateTime finished = r.getOffsetDateTime("finished_at");
    return new JsonObject().put("id", id).put("mode", r.getString("mode")).put("channel", r.getString("channel"))
        .put("trigger", r.getString("trigger")).put("options", r.getValue("options"))
        .put("status", r.getString("status")).put("phase", r.getString("phase"))
        .put("channels", r.getValue("channels")).put("counts", r.getValue("counts"))
        .put("healed", r.getInteger("healed")).put("cardsChecked", r.getInteger("cards_checked"))
        .put("error", r.getString("error")).put("requestedBy", r.getString("requested_by"))
        .put("startedAt", started.toInstant().toString())
        .put("finishedAt", finished == null ? null : finished.toInstant().toString())
        .put("durationMs", finished == null ? null : Duration.between(started, finished).toMillis())
        .put("progressUrl", "/api/reconciler/runs/" + id)
        .put("driftUrl", "/api/reconciler/drift?runId=" + id);
  }
}
