package io.slabtrack.core.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slabtrack.cluster.app.AppContext;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.config.ConfigException;
import io.slabtrack.cluster.config.Settings;
import io.slabtrack.core.CoreFixture;
import io.slabtrack.core.channels.Engagements;
import io.slabtrack.core.claims.ClaimDecider;
import io.slabtrack.core.claims.LiveLocks;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scheduled run as one tick of it: the configured mode, trigger "schedule", and a tick that meets a running run
 * skips. Core alone on the node: both satellites are unreachable, and the run still completes, changing nothing.
 */
class ReconcileScheduleTest {
  private static CoreFixture core;
  private static AppContext ctx;
  private static Reconciler reconciler;

  @BeforeAll
  static void start() throws Exception {
    core = CoreFixture.start(Map.of("RECONCILE_INTERVAL_MINUTES", "0"));
    ctx = core.node.runtime(AppName.CORE).context();
    LiveLocks locks = new LiveLocks(ctx.saleLocks());
    reconciler = new ReconcilerFeature(ctx, new ClaimDecider(locks), new Engagements(ctx.pool(), locks)).reconciler();
  }

  @AfterAll
  static void stop() throws Exception {
    core.close();
  }

  private static ReconcileSchedule schedule(String mode) {
    return ReconcileSchedule.fromSettings(reconciler, ctx.pool(), new Settings(Map.of("RECONCILE_SCHEDULED_MODE",
        mode)));
  }

  @Test
  void aTickRunsInTheConfiguredModeAndMarksUnreachableSatellites() throws Exception {
    JsonObject run = schedule("heal").runNow().await(60, TimeUnit.SECONDS);
    assertThat(run.getString("status")).isEqualTo("done");
    assertThat(run.getString("trigger")).isEqualTo("schedule");
    assertThat(run.getString("mode")).isEqualTo("heal");
    assertThat(run.getJsonObject("channels").getJsonObject("thisorthat").getBoolean("reachable")).isFalse();
    assertThat(run.getJsonObject("channels").getJsonObject("storefront").getBoolean("reachable")).isFalse();
    assertThat(run.getInteger("healed")).isZero();
    assertThat(schedule("report").runNow().await(60, TimeUnit.SECONDS).getString("mode")).isEqualTo("report");
  }

  @Test
  void aTickForgetsRunsOlderThanTheKeepDays() throws Exception {
    UUID old = UUID.randomUUID();
    core.sql("INSERT INTO reconcile_runs (id, mode, trigger, status, started_at, finished_at) VALUES ($1, 'report', "
        + "'schedule', 'done', now() - interval '31 days', now() - interval '31 days')", old);
    core.sql("INSERT INTO reconcile_drift (run_id, seq, kind, evidence, fix) VALUES ($1, 1, 'stale_engage', '{}', "
        + "'republish')", old);
    schedule("report").runNow().await(60, TimeUnit.SECONDS);
    assertThat(core.count("SELECT count(*) FROM reconcile_runs WHERE id = $1", old)).isZero();
    assertThat(core.count("SELECT count(*) FROM reconcile_drift WHERE run_id = $1", old)).isZero();
    assertThat(core.count("SELECT count(*) FROM reconcile_runs WHERE started_at > now() - interval '1 hour'"))
        .isPositive();
  }

  @Test
  void aTickMeetingARunningRunSkipsIt() throws Exception {
    UUID busy = UUID.randomUUID();
    core.sql("INSERT INTO reconcile_runs (id, mode, trigger, status) VALUES ($1, 'report', 'operator', 'running')",
        busy);
    try {
      long before = core.count("SELECT count(*) FROM reconcile_runs");
      assertThat(schedule("report").runNow().await(60, TimeUnit.SECONDS)).isNull();
      assertThat(core.count("SELECT count(*) FROM reconcile_runs")).isEqualTo(before);
    } finally {
      core.sql("DELETE FROM reconcile_runs WHERE id = $1", busy);
    }
  }

  @Test
  void aBadScheduledModeStopsTheNodeWithTheVariableNamed() {
    assertThatThrownBy(() -> schedule("fix")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("RECONCILE_SCHEDULED_MODE");
  }
}
