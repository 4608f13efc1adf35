package io.slabtrack.core.imports;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.core.CoreFixture;
import io.slabtrack.core.CoreFixture.Resp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Bulk import as a job: 10,000 rows with bad ones, per-row errors, good rows kept; body limits per route. */
class CardImportTest {
  private static final Logger LOG = LoggerFactory.getLogger(CardImportTest.class);
  @RegisterExtension
  static final CoreFixture core = CoreFixture.perClass();

  @Test
  void tenThousandCardsWithBadRows() throws Exception {
    core.createCard(CoreFixture.card("Already Here", 100).put("certNumber", "IMP-5000"));
    JsonArray rows = new JsonArray();
    Map<Integer, String> badField = new HashMap<>();
    for (int i = 0; i < 10_000; i++) {
      JsonObject row = new JsonObject().put("player", "Import Player " + i).put("year", 1990 + i % 35)
          .put("setName", "Topps Series " + (i % 7)).put("cardNumber", String.valueOf(i)).put("gradingCompany", "PSA")
          .put("grade", 10 - (i % 4)).put("certNumber", "IMP-" + i).put("askingPrice", 500 + i)
          .put("sportscardsproPsa10", 450 + i).put("compsRefreshedAt", "2026-11-01T00:00:00Z");
      if (i % 500 == 7) {
        row.put("askingPrice", -1);
        badField.put(i, "askingPrice");
      } else if (i % 500 == 99) {
        row.remove("player");
        badField.put(i, "player");
      } else if (i % 500 == 250) {
        row.put("grade", 10.3);
        badField.put(i, "grade");
      }
      rows.add(row);
    }
    rows.getJsonObject(9_999).put("certNumber", "IMP-1"); // twice in the file
    badField.put(9_999, "certNumber");
    badField.put(5_000, "certNumber"); // already in inventory

    long started = System.nanoTime();
    Resp accepted = core.post("/api/cards/import", rows);
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    JsonObject job = accepted.json();
    assertThat(job.getString("progressUrl")).isEqualTo("/api/jobs/" + job.getString("id"));
    AtomicReference<JsonObject> last = new AtomicReference<>();
    CoreFixture.await("import job", Duration.ofSeconds(120), () -> {
      try {
        last.set(core.get(job.getString("progressUrl")).json());
        return !"running".equals(last.get().getString("status"));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    double seconds = (System.nanoTime() - started) / 1e9;
    LOG.info("FIGURE import of 10,000 cards ({} bad rows) took {} s (request to job done)", badField.size(),
        String.format("%.2f", seconds));

    JsonObject done = last.get();
    assertThat(done.getString("status")).isEqualTo("done");
    assertThat(done.getInteger("total")).isEqualTo(10_000);
    assertThat(done.getInteger("processed")).isEqualTo(10_000);
    assertThat(done.getInteger("failed")).isEqualTo(badField.size());
    assertThat(done.getInteger("succeeded")).isEqualTo(10_000 - badField.size());
    Map<Integer, String> reported = new HashMap<>();
    done.getJsonArray("errors").forEach(o -> reported.put(((JsonObject) o).getInteger("row"), ((JsonObject) o).getString("field")));
    assertThat(reported).isEqualTo(badField);
    assertThat(core.count("SELECT count(*) FROM cards WHERE player LIKE 'Import Player %'"))
        .isEqualTo(10_000 - badField.size());
    assertThat(core.count("SELECT count(*) FROM card_channels WHERE channel = 'personal' AND status = 'active'"))
        .isEqualTo(core.count("SELECT count(*) FROM cards"));
    JsonObject sample = core.get("/api/cards?q=IMP-42&limit=1").json().getJsonArray("items").getJsonObject(0);
    assertThat(sample.getBoolean("pullEligible")).isTrue();
    assertThat(sample.getBoolean("isKeeper")).isFalse();
  }

  @Test
  void csvRowsAreTypedAndJudgedOneByOne() throws Exception {
    String csv = "player,year,set_name,gradingCompany,grade,certNumber,askingPrice,isKeeper\n"
        + "Csv One,2019,Panini Prizm,PSA,10,CSV-1,12500,false\n"
        + "\"Csv, Two\",2020,Topps,BGS,9.5,CSV-2,abc,\n"
        + "Csv Three,,,,,,,true\n";
    Resp accepted = core.send("POST", "/api/cards/import", core.operator, "text/csv", csv);
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    AtomicReference<JsonObject> job = new AtomicReference<>();
    CoreFixture.await("csv job", Duration.ofSeconds(30), () -> {
      try {
        job.set(core.get(accepted.json().getString("progressUrl")).json());
        return "done".equals(job.get().getString("status"));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(job.get().getInteger("succeeded")).isEqualTo(2);
    JsonObject error = job.get().getJsonArray("errors").getJsonObject(0);
    assertThat(error.getInteger("row")).isEqualTo(1);
    assertThat(error.getString("field")).isEqualTo("askingPrice");
    JsonObject one = core.get("/api/cards?q=CSV-1").json().getJsonArray("items").getJsonObject(0);
    assertThat(one.getString("setName")).isEqualTo("Panini Prizm");
    assertThat(one.getLong("askingPrice")).isEqualTo(12500);
    assertThat(core.get("/api/cards?player=Csv%20Three").json().getJsonArray("items").getJsonObject(0)
        .getBoolean("isKeeper")).isTrue();

    Resp unknown = core.send("POST", "/api/cards/import", core.operator, "text/csv", "player,colour\nX,red\n");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.field()).isEqualTo("colour");
    assertThat(core.send("POST", "/api/cards/import", null, "text/csv", csv).status()).isEqualTo(401);
  }

  @Test
  void bodyLimitsAndShapes() throws Exception {
    assertThat(core.post("/api/cards/import", new JsonArray()).status()).isEqualTo(400);
    assertThat(core.post("/api/cards/import", new JsonObject().put("player", "x")).status()).isEqualTo(400);
    JsonArray tooMany = new JsonArray();
    for (int i = 0; i < 10_001; i++) {
      tooMany.add(new JsonObject().put("player", "p"));
    }
    Resp many = core.post("/api/cards/import", tooMany);
    assertThat(many.status()).isEqualTo(400);
    long before = core.count("SELECT count(*) FROM jobs");

    String pad = "x".repeat(400);
    JsonArray big = new JsonArray(); // ~7 MB: over the default limit, under the import limit
    for (int i = 0; i < 9_000; i++) {
      big.add(new JsonObject().put("player", "Big " + i).put("parallel", pad).put("setName", pad));
    }
    assertThat(big.encode().length()).isBetween(6_000_000, 19_000_000);
    Resp bigJob = core.post("/api/cards/import", big);
    assertThat(bigJob.status()).isEqualTo(202);
    Resp elsewhere = core.call("PATCH", "/api/cards/1", "{\"setName\":\"" + "y".repeat(6_000_000) + "\"}");
    assertThat(elsewhere.status()).isEqualTo(400);
    assertThat(elsewhere.error()).isEqualTo("body_too_large");
    Resp huge = core.post("/api/cards/import", "[" + "{\"player\":\"" + "z".repeat(21_000_000) + "\"}]");
    assertThat(huge.status()).isEqualTo(400);
    assertThat(huge.error()).isEqualTo("body_too_large");
    assertThat(core.count("SELECT count(*) FROM jobs")).isEqualTo(before + 1);
    // let the accepted job finish, so it doesn't run under another test's timing
    CoreFixture.await("big import", Duration.ofSeconds(60), () -> {
      try {
        return "done".equals(core.get(bigJob.json().getString("progressUrl")).json().getString("status"));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(core.get("/api/jobs/00000000-0000-0000-0000-000000000000").status()).isEqualTo(404);
    assertThat(core.get("/api/jobs/nope").status()).isEqualTo(400);
  }
}
