package io.slabtrack.cluster.logging;

/**
 * Who is writing this JVM's log lines: the app(s) it runs and its cluster node id (once joined), as every JSON log
 * line states them. Set by the launcher; read by the log encoder on every line, hence volatile and cheap.
 */
public final class LogIdentity {
  private static volatile String app;
  private static volatile String node;

  private LogIdentity() {
  }

  public static void app(String apps) {
    app = apps;
  }

  public static void node(String nodeId) {
    node = nodeId;
  }

  /** e.g. "core" or, in dev mode, "core,tot,storefront"; null before the launcher said */
  public static String app() {
    return app;
  }

  /** the Hazelcast member id; null until the node joined */
  public static String node() {
    return node;
  }
}
