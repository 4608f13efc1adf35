package io.slabtrack.core.imports;

import io.slabtrack.core.cards.CardField;
import io.slabtrack.core.cards.CardInput;
import io.slabtrack.core.cards.CardSql;
import io.slabtrack.core.cards.InvalidField;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports many cards as a job: every row is judged alone (a bad row is reported with its index and field, the
 * good rows are kept), then the file goes in chunks of consecutive rows, each chunk one transaction that inserts its
 * valid rows and adds its outcome (bad rows included) to the job. So the job's counts are always exactly what is
 * committed, and {@code processed} is the row where a stopped import stopped. A cert number already in inventory, or
 * twice in the file, is a row error, which makes re-running a file after a failure safe for graded cards.
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

  private record Valid(int row, Map<CardField, Object> values) {
  }

  /** Rows [from, to) of the file: the valid ones to insert and the errors of the others. */
  private record Chunk(int from, int to, List<Valid> valid, JsonArray rowErrors) {
  }

  /** Validates, creates the job and starts it; the future completes with the job as first stored. */
  public Future<JsonObject> start(JsonArray rows, String ownerId) {
    List<Chunk> chunks = new ArrayList<>();
    Chunk current = new Chunk(0, 0, new ArrayList<>(), new JsonArray());
    Set<String> certs = new HashSet<>();
    for (int i = 0; i < rows.size(); i++) {
      if (current.valid().size() == CHUNK) {
        chunks.add(new Chunk(current.from(), i, current.valid(), current.rowErrors()));
        current = new Chunk(i, i, new ArrayList<>(), new JsonArray());
      }
      try {
        Object raw = rows.getValue(i);
        if (!(raw instanceof JsonObject o)) {
          throw new InvalidField("row", "each row must be a JSON object");
        }
        Map<CardField, Object> values = withDefaults(CardInput.forCreate(o));
        Object cert = values.get(CardField.CERT_NUMBER);
        Object grader = values.get(CardField.GRADING_COMPANY);
        if (cert != null && grader != null && !certs.add(grader + "|" + cert)) {
          throw new InvalidField("certNumber", "cert " + grader + " " + cert + " appears earlier in this import");
        }
        current.valid().add(new Valid(i, values));
      } catch (InvalidField e) {
        current.rowErrors().add(e.rowError().put("row", i));
      }
    }
    chunks.add(new Chunk(current.from(), rows.size(), current.valid(), current.rowErrors()));
    UUID id = UUID.randomUUID();
    return pool.preparedQuery(ImportSql.CREATE_JOB)
        .execute(Tuple.of(id, rows.size(), ownerId))
        .map(r -> {
          JsonObject job = Jobs.json(r.iterator().next());
          long started = System.nanoTime();
          run(id, chunks, ownerId).onComplete(ar -> LOG.info("import job {} {} in {} ms ({} rows)", id,
              ar.succeeded() ? "done" : "failed: " + ar.cause(), (System.nanoTime() - started) / 1_000_000, rows.size()));
          return job;
        });
  }

  /** Defaults spelled out: one INSERT names every column, so absent ones would be NULL, not their default. */
  private static Map<CardField, Object> withDefaults(Map<CardField, Object> values) {
    Map<CardField, Object> all = new EnumMap<>(CardField.class);
    for (CardField f : CardField.values()) {
      all.put(f, values.get(f));
    }
    all.computeIfAbsent(CardField.IS_KEEPER, k -> false);
    all.computeIfAbsent(CardField.PULL_ELIGIBLE, k -> true);
    all.computeIfAbsent(CardField.FLIP_ELIGIBLE, k -> true);
    return all;
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
