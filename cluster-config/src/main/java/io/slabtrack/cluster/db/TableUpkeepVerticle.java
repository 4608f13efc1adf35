package io.slabtrack.cluster.db;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Autovacuum's stand-in on a PostgreSQL server that runs without it (as this project's CI machines do:
 * {@code autovacuum = off}): every {@code intervalMillis} the app's tables that autovacuum would have vacuumed or
 * analyzed by now, by the server's own thresholds, are. With autovacuum on, this does nothing.
 *
 * <p>Why an app does this: without statistics PostgreSQL guesses that an equality on a non-unique column matches
 * 0.5 % of the table, so a claim's lookup of its cards' channel rows became a hash join over every row of
 * {@code card_channels}; and a cached plan made while a table was small stays until an ANALYZE invalidates it. On
 * such a server {@code bench claims} got slower round after round as the inventory grew (contended 1,539 → 1,061
 * claims/s over four rounds of 2,500 cards) and ran at 2,611/s once the tables were analyzed as they grew. Dead
 * rows are the other half: the outbox writes three row versions per message, and its claim walks the dead index
 * entries until a VACUUM removes them.
 *
 * <p>Several nodes of an app may share the database: {@code SKIP_LOCKED} lets a node skip a table another is
 * already vacuuming or analyzing. Not a {@code SingletonRunner} job: its advisory-lock transaction would add three
 * round trips to a one-statement tick every second, and it warns on every failed tick, where a database outage
 * here is said once.
 */
public final class TableUpkeepVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(TableUpkeepVerticle.class);

  /**
   * The tables due, by autovacuum's rules (threshold + scale factor × the table's row estimate, for dead rows and for
   * rows changed since the last ANALYZE), only when the server's autovacuum is off (or {@code $1}: always). A table's
   * own settings ({@code ALTER TABLE … SET (autovacuum_…)}) win over the server's, and a table with
   * {@code autovacuum_enabled = false} is left alone, as autovacuum would leave it. Only tables this user may vacuum
   * (its own, or a superuser's every table): another's would only earn a WARNING, every tick, and stay due forever.
   */
  static final String DUE = """
      SELECT format('%I.%I', s.schemaname, s.relname) AS name, due.vacuum_due AS vacuum
      FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid,
        LATERAL (SELECT jsonb_object_agg(option_name, option_value) AS o FROM pg_options_to_table(c.reloptions)) own,
        LATERAL (SELECT
          s.n_dead_tup > setting(own.o, 'autovacuum_vacuum_threshold')
            + setting(own.o, 'autovacuum_vacuum_scale_factor') * greatest(c.reltuples, 0) AS vacuum_due,
          s.n_mod_since_analyze > setting(own.o, 'autovacuum_analyze_threshold')
            + setting(own.o, 'autovacuum_analyze_scale_factor') * greatest(c.reltuples, 0) AS analyze_due) due
      WHERE ($1 OR current_setting('autovacuum') = 'off') AND pg_has_role(c.relowner, 'USAGE')
        AND coalesce((own.o ->> 'autovacuum_enabled')::boolean, true)
        AND (due.vacuum_due OR due.analyze_due)
      ORDER BY s.n_mod_since_analyze + s.n_dead_tup DESC"""
      // setting(o, name): the table's own value of an autovacuum setting, else the server's
      .replaceAll("setting\\(own\\.o, (?<name>'[a-z_]+')\\)",
          "coalesce((own.o ->> ${name})::float8, current_setting(${name})::float8)");

  private final Pool pool;
  private final long intervalMillis;
  private final boolean evenWithAutovacuum;
  private long timer = -1;
  private boolean running;
  private boolean warned;

  /** On every server without autovacuum, every {@code intervalMillis}. */
  public TableUpkeepVerticle(Pool pool, long intervalMillis) {
    this(pool, intervalMillis, false);
  }

  /** @param evenWithAutovacuum run whatever the server's autovacuum setting (tests on any server) */
  TableUpkeepVerticle(Pool pool, long intervalMillis, boolean evenWithAutovacuum) {
    this.pool = pool;
    this.intervalMillis = intervalMillis;
    this.evenWithAutovacuum = evenWithAutovacuum;
  }

  @Override
  public Future<?> start() {
    timer = vertx.setPeriodic(intervalMillis, id -> runOnce());
    // said once at start, so an operator reading the log knows who vacuums
    pool.query("SHOW autovacuum").execute()
        .onSuccess(rows -> {
          if ("off".equals(rows.iterator().next().getString(0))) {
            LOG.info("autovacuum is off on this server: this node vacuums and analyzes its tables by autovacuum's"
                + " thresholds, every {} ms", intervalMillis);
          }
        });
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  /** One round: the tables due, one after the other (a round still running skips the next tick). */
  Future<Integer> runOnce() {
    if (running) {
      return Future.succeededFuture(0);
    }
    running = true;
    return pool.preparedQuery(DUE).execute(io.vertx.sqlclient.Tuple.of(evenWithAutovacuum))
        .compose(rows -> {
          Future<Integer> chain = Future.succeededFuture(0);
          for (Row r : rows) {
            // the name comes quoted from format('%I.%I'): safe to splice
            String command = (r.getBoolean("vacuum") ? "VACUUM (ANALYZE, SKIP_LOCKED) " : "ANALYZE (SKIP_LOCKED) ")
                + r.getString("name");
            chain = chain.compose(done -> upkeep(command).map(done + 1));
          }
          return chain;
        })
        .onSuccess(n -> warned = false)
        .onFailure(t -> {
          // the database down or going away: the next tick tries again; said once until a round succeeds
          if (!warned) {
            warned = true;
            LOG.warn("table upkeep: {}", t.toString());
          }
        })
        .eventually(() -> {
          running = false;
          return Future.succeededFuture();
        });
  }

  private Future<Void> upkeep(String command) {
    long started = System.nanoTime();
    return pool.query(command).execute().<Void>mapEmpty().onSuccess(v -> {
      long millis = (System.nanoTime() - started) / 1_000_000;
      if (millis >= 1_000) {
        LOG.info("table upkeep: {} took {} ms", command, millis);
      } else {
        LOG.debug("table upkeep: {} in {} ms", command, millis);
      }
    });
  }
}
