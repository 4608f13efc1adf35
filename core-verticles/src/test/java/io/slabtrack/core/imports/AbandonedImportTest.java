package io.slabtrack.core.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.slabtrack.core.CoreFixture;
import io.slabtrack.core.CoreFixture.Resp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An import whose node died: its job is failed once its heartbeat is stale, saying where it stopped, with counts that
 * are exactly what was committed; a live one stays running; the same file re-run imports only what is missing (graded
 * cards by their cert number, raw cards by the row the earlier run reached).
 */
class AbandonedImportTest {
  private static final String RUNNING_JOB = """
      INSERT INTO jobs (id, kind, status, total, processed, succeeded, failed, errors, heartbeat_at, source_sha256)
      VALUES ($1, 'card_import', 'running', $2, $3, $4, $5, $6::jsonb, now() - $7::int * interval '1 second', $8)""";
  @RegisterExtension
  static final CoreFixture core = CoreFixture.perClass();

  private static JsonObject row(String prefix, int i) {
    return new JsonObject().put("player", prefix + " Player " + i).put("year", 2001).put("gradingCompany", "PSA")
        .put("grade", 9).put("certNumber", prefix + "-" + i).put("askingPrice", 1000 + i);
  }

  @Test
  void deadNodeJobFailsAtTheRowItStoppedAndTheSameFileReRunsWithoutDuplicates() throws Exception {
    JsonArray file = new JsonArray();
    for (int i = 0; i < 6; i++) {
      file.add(row("Dead", i));
    }
    file.getJsonObject(1).put("askingPrice", -5); // a bad row before the stop
    file.getJsonObject(2).remove("certNumber"); // raw cards: no unique key in inventory
    file.getJsonObject(4).remove("certNumber");
    // The node committed the chunk of rows 0-2 (rows 0 and 2 imported, row 1 rejected), then died.
    core.createCard(file.getJsonObject(0));
    core.createCard(file.getJsonObject(2));
    JsonArray errors = new JsonArray().add(new JsonObject().put("row", 1).put("field", "askingPrice")
        .put("message", "askingPrice must be at least 0"));
    UUID dead = UUID.randomUUID();
    core.sql(RUNNING_JOB, dead, 6, 3, 2, 1, errors, 600, ImportPlan.fingerprint(file));

    JsonObject job = core.get("/api/jobs/" + dead).json();
    assertThat(job.getString("status")).isEqualTo("failed");
    assertThat(job.getString("message")).isEqualTo("the node running the import stopped at row 3; rows before it"
        + " were imported (except those listed in errors), rows from it on were not. Re-running the same, unchanged"
        + " file imports only the rows not imported yet");
    assertThat(job.getInteger("processed")).isEqualTo(3);
    assertThat(job.getInteger("succeeded")).isEqualTo(2);
    assertThat(job.getInteger("failed")).isEqualTo(1);
    assertThat(job.getString("finishedAt")).isNotNull();
    assertThat(core.get("/api/jobs/" + dead).json()).isEqualTo(job); // read again: the same verdict

    // The operator re-runs the same file: rows already imported are per-row errors, no card twice.
    Resp accepted = core.post("/api/cards/import", file);
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    JsonObject rerun = awaitFinished(accepted.json().getString("progressUrl"));
    assertThat(rerun.getString("status")).isEqualTo("done");
    assertThat(rerun.getInteger("processed")).isEqualTo(6);
    assertThat(rerun.getInteger("succeeded")).isEqualTo(3);
    assertThat(rerun.getInteger("failed")).isEqualTo(3);
    JsonArray rowErrors = rerun.getJsonArray("errors");
    assertThat(rowErrors.stream().map(e -> ((JsonObject) e).getInteger("row")).toList()).containsExactly(0, 1, 2);
    assertThat(rowErrors.getJsonObject(0).getString("field")).isEqualTo("certNumber");
    assertThat(rowErrors.getJsonObject(0).getString("message"))
        .isEqualTo("a card with cert PSA Dead-0 is already in inventory");
    assertThat(rowErrors.getJsonObject(1).getString("field")).isEqualTo("askingPrice");
    assertThat(rowErrors.getJsonObject(2).getString("message"))
        .isEqualTo("already imported by job " + dead + ", an earlier import of this same file");
    for (int i = 0; i < 6; i++) {
      assertThat(core.count("SELECT count(*) FROM cards WHERE player = $1", "Dead Player " + i)).as("row " + i)
          .isEqualTo(i == 1 ? 0 : 1);
    }
  }

  @Test
  void jobWithAFreshHeartbeatStaysRunning() throws Exception {
    UUID live = UUID.randomUUID();
    core.sql(RUNNING_JOB, live, 5000, 1000, 1000, 0, new JsonArray(), 30, null); // one missed heartbeat: still alive
    JsonObject job = core.get("/api/jobs/" + live).json();
    assertThat(job.getString("status")).isEqualTo("running");
    assertThat(job.getString("message")).isNull();
    assertThat(job.getString("finishedAt")).isNull();
  }

  /**
   * A job failed as abandoned whose node turns out alive stops there: no card beyond the job's counts, no "done",
   * and the counts cover exactly the rows before {@code processed}.
   */
  @Test
  void importFailedAsAbandonedStopsWithCountsThatMatchTheCards() throws Exception {
    JsonArray file = new JsonArray();
    for (int i = 0; i < 10_000; i++) {
      file.add(row("Zombie", i));
    }
    file.getJsonObject(9_990).remove("player"); // a bad row near the end: not settled before the stop
    Resp accepted = core.post("/api/cards/import", file);
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    String id = accepted.json().getString("id");
    long marked = core.sql("UPDATE jobs SET status = 'failed', message = 'declared dead', finished_at = now()"
        + " WHERE id = $1 AND status = 'running'", UUID.fromString(id)).rowCount();
    assumeThat(marked).as("the import finished before it could be declared dead").isEqualTo(1);

    // wait until the node has stopped inserting
    AtomicLong last = new AtomicLong(-1);
    CoreFixture.await("import stopped", Duration.ofSeconds(60), () -> {
      try {
        Thread.sleep(500);
        long n = core.count("SELECT count(*) FROM cards WHERE cert_number LIKE 'Zombie-%'");
        return n == last.getAndSet(n);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    JsonObject job = core.get("/api/jobs/" + id).json();
    assertThat(job.getString("status")).isEqualTo("failed");
    assertThat(job.getString("message")).isEqualTo("declared dead");
    assertThat((long) job.getInteger("succeeded")).isEqualTo(last.get());
    // the counts are the committed rows 0..processed-1, and nothing from processed on is counted or reported
    int processed = job.getInteger("processed");
    assertThat(processed).isLessThan(9_990);
    assertThat(job.getInteger("succeeded") + job.getInteger("failed")).isEqualTo(processed);
    assertThat(job.getJsonArray("errors")).isEmpty();
  }

  private static JsonObject awaitFinished(String url) throws InterruptedException {
    AtomicReference<JsonObject> job = new AtomicReference<>();
    CoreFixture.await("job " + url, Duration.ofSeconds(60), () -> {
      try {
        job.set(core.get(url).json());
        return !"running".equals(job.get().getString("status"));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    return job.get();
  }
}
