package io.slabtrack.core.cards;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.core.CoreFixture;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The snapshot PostgreSQL builds for a publish is the one {@link CardJson} builds, value for value and as text. */
class CardSnapshotSqlTest {
  @RegisterExtension
  static final CoreFixture core = CoreFixture.perClass();

  @Test
  void theSqlSnapshotIsTheJavaOneForEveryKindOfValue() throws Exception {
    long full = core.createCard(CoreFixture.card("Full", 1500).put("year", 1999).put("setName", "Base")
        .put("gradingCompany", "PSA").put("grade", 10).put("certNumber", "123").put("team", "Bulls")
        .put("frontImageUrl", "https://img.test/f.jpg").put("pullEligible", false)).getLong("id");
    long half = core.createCard(CoreFixture.card("Half", 900).put("gradingCompany", "BGS").put("grade", 9.5))
        .getLong("id");
    long bare = core.createCard(new JsonObject().put("player", "Bare")).getLong("id");
    // instants whose fractions Instant.toString writes with 0, 3 and 6 digits
    core.sql("UPDATE cards SET created_at = '2026-01-02T03:04:05Z', updated_at = '2026-01-02T03:04:05.120Z',"
        + " comps_refreshed_at = '2026-01-02T03:04:05.000123Z', ebay_avg = 1234 WHERE id = $1", full);
    core.sql("UPDATE cards SET updated_at = '1999-12-31T23:59:59.999999Z' WHERE id = $1", half);

    Map<Long, String> fromSql = new HashMap<>();
    for (Row r : core.sql("SELECT c.id, " + CardSnapshotSql.of("c") + "::text AS s FROM cards_priced c")) {
      fromSql.put(r.getLong("id"), r.getString("s"));
    }
    int compared = 0;
    for (Row r : core.sql(CardSql.SELECT_CARD)) {
      // as it went out before: encoded by Java, read back by the satellite
      JsonObject java = new JsonObject(CardJson.snapshot(CardJson.of(r)).encode());
      JsonObject sql = new JsonObject(fromSql.get(r.getLong("id")));
      assertThat(sql.getMap()).isEqualTo(java.getMap());
      // as the satellites will read them: the same text for every value (10.0 stays a double, not 10)
      java.fieldNames().forEach(f -> assertThat(String.valueOf(sql.getValue(f)))
          .as("field %s of card %s", f, r.getLong("id")).isEqualTo(String.valueOf(java.getValue(f))));
      compared++;
    }
    assertThat(compared).isEqualTo(3);
    JsonObject f = new JsonObject(fromSql.get(full));
    assertThat(f.getValue("grade")).isEqualTo(10.0);
    assertThat(f.getString("createdAt")).isEqualTo("2026-01-02T03:04:05Z");
    assertThat(f.getString("updatedAt")).isEqualTo("2026-01-02T03:04:05.120Z");
    assertThat(f.getString("compsRefreshedAt")).isEqualTo("2026-01-02T03:04:05.000123Z");
    assertThat(new JsonObject(fromSql.get(half)).getValue("grade")).isEqualTo(9.5);
    assertThat(new JsonObject(fromSql.get(bare)).containsKey("grade")).isTrue();
  }
}
