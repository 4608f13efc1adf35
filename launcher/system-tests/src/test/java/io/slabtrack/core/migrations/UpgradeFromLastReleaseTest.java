package io.slabtrack.core.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.PgSettings;
import io.slabtrack.cluster.db.Migrations;
import io.slabtrack.cluster.testing.TestDatabases;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;

/**
 * A database migrated by the last release must take this release's migrations. Flyway refuses a new migration
 * numbered below one already applied ("Detected resolved migration not applied to database"), and the app then
 * doesn't start: a new core migration numbered V14 did that to every database already at V21. So every migration
 * added since the last release must be numbered above all of that release's.
 */
class UpgradeFromLastReleaseTest {
  /** Each app's migration versions at the last release (session 1). */
  private static final Map<String, List<Integer>> RELEASED = Map.of(
      "core", List.of(1, 10, 11, 12, 20, 21),
      "tot", List.of(1, 10, 11, 12, 13),
      "storefront", List.of(1, 10, 11, 12, 13));

  @Test
  void everyMigrationAddedSinceTheLastReleaseIsNumberedAboveIt() {
    PgSettings db = TestDatabases.create("upgrade_rule");
    try {
      RELEASED.forEach((app, released) -> {
        int highest = released.stream().mapToInt(Integer::intValue).max().orElseThrow();
        MigrationInfo[] all = Flyway.configure(Migrations.class.getClassLoader())
            .dataSource(db.jdbcUrl(), db.user(), db.password()).locations("classpath:db/" + app)
            .table("flyway_upgrade_rule_" + app).load().info().all();
        List<Integer> versions = Arrays.stream(all).map(m -> Integer.parseInt(m.getVersion().getVersion())).toList();
        assertThat(versions).as("%s: the released migrations are all still there", app).containsAll(released);
        assertThat(versions.stream().filter(v -> !released.contains(v)))
            .as("%s: migrations added since the release must be numbered above V%d", app, highest)
            .allMatch(v -> v > highest);
      });
    } finally {
      TestDatabases.drop(db);
    }
  }
}
