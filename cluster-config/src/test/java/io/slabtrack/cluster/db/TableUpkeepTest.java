package io.slabtrack.cluster.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.PgSettings;
import io.slabtrack.cluster.testing.Poll;
import io.slabtrack.cluster.testing.QueryPlans;
import io.slabtrack.cluster.testing.TestDatabases;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stand-in for autovacuum (run here whatever the server's setting): a table that grew is analyzed and its
 * lookups by a non-unique key use the index again instead of a hash join over every row; a table full of dead rows
 * is vacuumed; a table with a handful of changes is left alone, as autovacuum would leave it; a table's own
 * autovacuum settings win; and a table its user may not vacuum is never chosen.
 */
class TableUpkeepTest {
  /** 64 cards' channel rows: a claim group's lookup. */
  private static final String LOOKUP = "EXPLAIN SELECT r.* FROM unnest((SELECT array_agg(g) FROM"
      + " generate_series(1001, 1064) g)) AS l(id) JOIN card_rows r ON r.card_id = l.id";

  private PgSettings db;
  private Vertx vertx;
  private Pool pool;

  @BeforeEach
  void setUp() {
    db = TestDatabases.create("upkeep");
    vertx = Vertx.vertx();
    pool = PgPools.create(vertx, db, 4);
    pool.query("CREATE TABLE card_rows (card_id bigint, channel text, status text, PRIMARY KEY (card_id, channel));"
        + " CREATE TABLE few_rows (id bigint PRIMARY KEY)").execute().await();
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
    TestDatabases.drop(db);
  }

  @Test
  void aGrownTableIsAnalyzedAndItsLookupsUseTheIndexAgain() throws Exception {
    pool.query("INSERT INTO card_rows SELECT g, c, 'active' FROM generate_series(1, 20000) g,"
        + " unnest(ARRAY['storefront', 'thisorthat']) c").execute().await();
    pool.query("INSERT INTO few_rows SELECT generate_series(1, 10)").execute().await();
    // never analyzed: PostgreSQL guesses 0.5 % of the table per card and reads all of it
    assertThat(plan()).contains("Seq Scan on card_rows");

    vertx.deployVerticle(new TableUpkeepVerticle(pool, 100, true)).await();

    Poll.until("card_rows analyzed", Duration.ofSeconds(30), () -> analyzed("card_rows"));
    assertThat(plan()).doesNotContain("Seq Scan on card_rows").contains("card_rows_pkey");
    // 10 changed rows are under autovacuum's threshold (50 + 10 %): not worth an ANALYZE
    assertThat(analyzed("few_rows")).isFalse();
  }

  @Test
  void aTableFullOfDeadRowsIsVacuumed() throws Exception {
    pool.query("INSERT INTO card_rows SELECT g, 'storefront', 'active' FROM generate_series(1, 5000) g")
        .execute().await();
    pool.query("ANALYZE card_rows").execute().await();
    pool.query("UPDATE card_rows SET status = 'sold'").execute().await();

    vertx.deployVerticle(new TableUpkeepVerticle(pool, 100, true)).await();

    Poll.until("card_rows vacuumed", Duration.ofSeconds(30), () -> stat("card_rows", "last_vacuum") != null);
    assertThat(stat("card_rows", "n_dead_tup")).isEqualTo(0L);
  }

  @Test
  void aTablesOwnAutovacuumSettingsWinOverTheServers() throws Exception {
    // 10 changes: under the server's threshold, over this table's own
    pool.query("ALTER TABLE few_rows SET (autovacuum_analyze_threshold = 5, autovacuum_analyze_scale_factor = 0);"
        + " INSERT INTO few_rows SELECT generate_series(1, 10)").execute().await();
    // grown, but its owner turned autovacuum off for it
    pool.query("ALTER TABLE card_rows SET (autovacuum_enabled = false); INSERT INTO card_rows"
        + " SELECT g, 'storefront', 'active' FROM generate_series(1, 5000) g").execute().await();
    pool.query("CREATE TABLE other_rows (id bigint PRIMARY KEY); INSERT INTO other_rows"
        + " SELECT generate_series(1, 5000)").execute().await();

    vertx.deployVerticle(new TableUpkeepVerticle(pool, 100, true)).await();

    Poll.until("few_rows analyzed", Duration.ofSeconds(30), () -> analyzed("few_rows"));
    // other_rows, due by the server's rules, shows a round went past card_rows
    Poll.until("other_rows analyzed", Duration.ofSeconds(30), () -> analyzed("other_rows"));
    assertThat(analyzed("card_rows")).isFalse();
  }

  @Test
  void onlyTheTablesItsUserMayVacuumAreTouched() throws Exception {
    String role = "st_upkeep_" + Long.toHexString(System.nanoTime());
    pool.query("CREATE ROLE " + role + " LOGIN; GRANT CREATE ON SCHEMA public TO " + role).execute().await();
    Vertx other = Vertx.vertx();
    try {
      Pool asRole = PgPools.create(other, db.withServer(db.host(), db.port(), role, ""), 2);
      asRole.query("CREATE TABLE own_rows (id bigint PRIMARY KEY); INSERT INTO own_rows"
          + " SELECT generate_series(1, 1000)").execute().await();
      // grown as much, but another user's: VACUUM by this user would only warn, every tick
      pool.query("INSERT INTO few_rows SELECT generate_series(1, 1000)").execute().await();

      other.deployVerticle(new TableUpkeepVerticle(asRole, 100, true)).await();

      Poll.until("own_rows analyzed", Duration.ofSeconds(30), () -> analyzed("own_rows"));
      assertThat(analyzed("few_rows")).isFalse();
      assertThat(asRole.preparedQuery(TableUpkeepVerticle.DUE).execute(io.vertx.sqlclient.Tuple.of(true)).await())
          .extracting(r -> r.getString("name")).doesNotContain("public.few_rows");
    } finally {
      other.close().await();
      // roles are the server's, not the database's: what it owns here goes, then the role
      pool.query("DROP OWNED BY " + role + "; DROP ROLE " + role).execute().await();
    }
  }

  private String plan() {
    return QueryPlans.text(pool.query(LOOKUP).execute().await());
  }

  private boolean analyzed(String table) {
    return stat(table, "last_analyze") != null;
  }

  private Object stat(String table, String column) {
    Row r = pool.query("SELECT " + column + " FROM pg_stat_user_tables WHERE relname = '" + table + "'").execute()
        .await().iterator().next();
    return r.getValue(0);
  }
}
