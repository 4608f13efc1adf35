package io.slabtrack.core.imports;

import io.slabtrack.core.cards.CardField;
import io.slabtrack.core.cards.CardInput;
import io.slabtrack.core.cards.CardSql;
import io.slabtrack.core.imports.ImportPlan.Chunk;
import io.slabtrack.core.imports.ImportPlan.Valid;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports many cards as a job: the file is judged row by row ({@link ImportPlan}: a bad row is reported with its index
 * and field, the good rows are kept) and goes in chunks of consecutive rows, each chunk one transaction that inserts
 * its valid rows and adds its outcome (bad rows included) to the job. So the job's counts are always exactly what is
 * committed, and {@code processed} is the row where a stopped import stopped. A cert number already in inventory is a
 * row error, and so is a row without one that an earlier run of the same file imported: re-running a file after a
 * failure imports only what is missing.
 */
public final class CardImport {
  public static final int MAX_ROWS = 10_000;
  static final int CHUNK = 1_000;
  private static final Logger LOG = LoggerFactory.getLogger(CardImport.class);

  private final Pool pool;
  private final JobLiveness liveness;

  public CardImport(Pool pool, JobLiveness liveness) {
    this.pool = pool;
    this.liveness = liveness;
  }

  JobLiveness liveness() {
    return liveness;
  }

  /** Validates, creates the job and starts it; the future completes with the job as first stored. */
  public Future<JsonObject> start(JsonArray rows, String ownerId) {
    String source = ImportPlan.fingerprint(rows);
    UUID id = UUID.randomUUID();
    return pool.preparedQuery(ImportSql.EARLIER_RUN).execute(Tuple.of(source, (int) JobLiveness.STALE_AFTER.toSeconds()))
        .compose(earlier -> {
          ImportPlan.EarlierRun run = earlier.size() == 0 ? null : new ImportPlan.EarlierRun(
              earlier.iterator().next().getUUID("id"), earlier.iterator().next().getInteger("processed"));
          List<Chunk> chunks = ImportPlan.chunks(rows, run, CHUNK);
          return pool.preparedQuery(ImportSql.CREATE_JOB).execute(Tuple.of(id, rows.size(), ownerId, source))
              .map(r -> {
                long started = System.nanoTime();
                run(id, chunks, ownerId).onComplete(ar -> LOG.info("import job {} {} in {} ms ({} rows)", id,
                    ar.succeeded() ? "done" : "failed: " + ar.cause(), (System.nanoTime() - started) / 1_000_000,
                    rows.size()));
                return Jobs.json(r.iterator().next());
              });
        });
  }

  private Future<Void> run(UUID jobId, List<Chunk> chunks, String ownerId) {
    long heartbeat = liveness.keepAlive(jobId);
    Future<Void> chain = Future.succeededFuture();
    for (Chunk c : chunks) {
      chain = chain.compose(v -> chunk(jobId, c, ownerId));
    }
    return chain
        .compose(v -> pool.preparedQuery(ImportSql.FINISH).execute(Tuple.of(jobId, "done", null)).<Void>mapEmpty())
        .recover(t -> pool.preparedQuery(ImportSql.FINISH).execute(Tuple.of(jobId, "failed", t.getMessage()))
            .transform(x -> Future.<Void>failedFuture(t)))
        .onComplete(x -> liveness.stop(heartbeat));
  }

  private Future<Void> chunk(UUID jobId, Chunk chunk, String ownerId) {
    JsonArray records = new JsonArray();
    chunk.valid().forEach(v -> records.add(CardInput.toRecord(v.values())));
    return pool.withTransaction(tx -> tx.preparedQuery(CardSql.insertFromJson(CardField.all()))
        .execute(Tuple.of(records, ownerId))
        .compose(inserted -> {
          List<Long> ids = new ArrayList<>();
          Map<String, Boolean> stored = new HashMap<>();
          for (Row r : inserted) {
            ids.add(r.getLong("id"));
            if (r.getString("cert_number") != null) {
              stored.put(r.getString("grader") + "|" + r.getString("cert_number"), true);
            }
          }
          List<JsonObject> errors = new ArrayList<>();
          chunk.rowErrors().forEach(e -> errors.add((JsonObject) e));
          for (Valid v : chunk.valid()) {
            Object cert = v.values().get(CardField.CERT_NUMBER);
            Object grader = v.values().get(CardField.GRADING_COMPANY);
            if (cert != null && grader != null
                && !stored.containsKey(grader.toString().toUpperCase(Locale.ROOT) + "|" + cert)) {
              errors.add(new JsonObject().put("row", v.row()).put("field", "certNumber")
                  .put("message", "a card with cert " + grader + " " + cert + " is already in inventory"));
            }
          }
          errors.sort(Comparator.comparingInt(e -> e.getInteger("row")));
          return tx.preparedQuery(CardSql.INSERT_PERSONAL_ROWS).execute(Tuple.of((Object) ids.toArray(new Long[0])))
              .compose(x -> tx.preparedQuery(ImportSql.PROGRESS).execute(Tuple.of(jobId, chunk.to() - chunk.from(),
                  ids.size(), errors.size(), new JsonArray(new ArrayList<>(errors)))))
              .compose(updated -> updated.rowCount() == 1 ? Future.<Void>succeededFuture()
                  // failed as abandoned while this chunk ran: roll it back, so the job's counts stay the truth
                  : Future.<Void>failedFuture(new IllegalStateException("job " + jobId + " is no longer running")));
        }));
  }
}
