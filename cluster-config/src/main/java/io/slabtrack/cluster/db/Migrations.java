package io.slabtrack.cluster.db;

import io.slabtrack.cluster.config.PgSettings;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Runs Flyway for one app database: first the shared mechanism tables of cluster-config (outbox, inbox…)
 * with their own history table, then the app's own migrations. Two histories keep the two version lines
 * independent, so a later shared migration never collides with an app's version numbers.
 * Blocking (JDBC): run it from the launcher or {@code executeBlocking}.
 */
public final class Migrations {
  public static final String COMMON_LOCATION = "classpath:db/common";
  private static final String COMMON_HISTORY = "flyway_common_history";

  private Migrations() {
  }

  /** @return how many migrations were applied (shared + app) */
  public static int migrate(PgSettings db, String appLocation) {
    int applied = run(db, COMMON_LOCATION, COMMON_HISTORY);
    applied += run(db, appLocation, "flyway_schema_history");
    return applied;
  }

  private static int run(PgSettings db, String location, String historyTable) {
    Flyway flyway = Flyway.configure(Migrations.class.getClassLoader())
        .dataSource(db.jdbcUrl(), db.user(), db.password())
        .locations(location)
        .table(historyTable)
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .failOnMissingLocations(false)
        .load();
    MigrateResult result = flyway.migrate();
    return result.migrationsExecuted;
  }
}
