package io.slabtrack.nemesis;

import io.slabtrack.cluster.config.AppName;
import java.time.Duration;
import java.util.Locale;

/** The named fault schedules; each starts after a warm-up and leaves the rest of the run to recover. */
public enum Scenario {
  NONE(false), CRASH(false), PAUSE(false), PARTITION(true), DATABASE(false), SLOW(false), MIXED(true);

  private final boolean needsNamespaces;

  Scenario(boolean needsNamespaces) {
    this.needsNamespaces = needsNamespaces;
  }

  public boolean needsNamespaces() {
    return needsNamespaces;
  }

  /**
   * Member and bus links through a {@link LinkShaper}. Not with a partition: the shaper's detour through this JVM
   * would carry the cut-off node's traffic around the namespaces' cut.
   */
  public boolean shapesLinks() {
    return this == SLOW;
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Scenario parse(String s) {
    try {
      return valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown scenario '" + s + "': none, crash, pause, partition, database, "
          + "slow, mixed, or all");
    }
  }

  /** Runs this scenario's faults (blocking until they are healed). */
  void inject(Faults faults, Duration pause) throws Exception {
    switch (this) {
      case NONE -> {
      }
      case CRASH -> faults.crash(Duration.ofSeconds(20));
      case PAUSE -> faults.pause(pause);
      case PARTITION -> faults.partition(Duration.ofSeconds(30));
      case DATABASE -> {
        faults.database(AppName.STOREFRONT, Duration.ofSeconds(20));
        Thread.sleep(10_000);
        faults.database(AppName.TOT, Duration.ofSeconds(20));
      }
      case SLOW -> faults.slow(LinkShaper.Profile.SLOW, Duration.ofSeconds(60));
      case MIXED -> {
        faults.crash(Duration.ofSeconds(15));
        faults.partition(Duration.ofSeconds(30));
        faults.pause(pause);
        faults.database(AppName.STOREFRONT, Duration.ofSeconds(20));
      }
    }
  }
}
