package io.slabtrack.cluster.testing;

import io.slabtrack.cluster.app.AppModule;
import io.slabtrack.cluster.app.AppRuntime;
import io.slabtrack.cluster.app.NodeServices;
import io.slabtrack.cluster.auth.JwtKeys;
import io.slabtrack.cluster.auth.TokenService;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.config.NodeConfig;
import io.slabtrack.cluster.config.PgSettings;
import io.slabtrack.cluster.config.RunMode;
import io.slabtrack.cluster.config.Settings;
import io.slabtrack.cluster.hazelcast.ClusterBootstrap;
import io.slabtrack.cluster.hazelcast.ClusterNode;
import io.slabtrack.cluster.hazelcast.HazelcastConfigFactory;
import io.slabtrack.cluster.health.KeyFingerprints;
import io.slabtrack.cluster.salelock.SaleLockNode;
import io.slabtrack.cluster.salelock.SaleLocks;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real node in the test JVM: a single-member Hazelcast cluster (its own cluster name, free ports) running the
 * given app modules through the same {@link AppRuntime} as dev and node mode, each on a fresh throwaway database
 * and a free HTTP port. For integration tests of one app's features; multi-JVM behaviour lives in launcher's ITs.
 * <pre>
 *   try (TestNode node = TestNode.start(new CoreApp())) {
 *     int port = node.httpPort(AppName.CORE);  ...  node.vertx() ...  node.runtime(AppName.CORE).context().pool()
 *   }
 * </pre>
 */
public final class TestNode implements AutoCloseable {
  public static final String SECRET = TestTokens.DEV_SECRET;

  private final ClusterNode cluster;
  private final NodeServices services;
  private final Map<AppName, AppRuntime> runtimes;
  private final Map<AppName, PgSettings> databases;

  private TestNode(ClusterNode cluster, NodeServices services, Map<AppName, AppRuntime> runtimes,
                   Map<AppName, PgSettings> databases) {
    this.cluster = cluster;
    this.services = services;
    this.runtimes = runtimes;
    this.databases = databases;
  }

  public static TestNode start(AppModule... modules) throws Exception {
    return start(Map.of(), modules);
  }

  /** @param env extra settings on top of the test defaults (e.g. feature config) */
  public static TestNode start(Map<String, String> env, AppModule... modules) throws Exception {
    return start(RunMode.DEV, Clock.systemUTC(), env, modules);
  }

  /** @param clock the sale-locks' clock (a {@link SettableClock} lets a test pass a TTL without sleeping) */
  public static TestNode start(Clock clock, Map<String, String> env, AppModule... modules) throws Exception {
    return start(RunMode.DEV, clock, env, modules);
  }

  /**
   * One app in node mode, as {@code node --app} runs it: no dev fallbacks (mail to the log, the Stripe simulator by
   * default), for tests of what production does without them.
   */
  public static TestNode startNodeMode(Map<String, String> env, AppModule module) throws Exception {
    return start(RunMode.NODE, Clock.systemUTC(), env, module);
  }

  private static TestNode start(RunMode mode, Clock clock, Map<String, String> env, AppModule... modules)
      throws Exception {
    Map<AppName, PgSettings> dbs = new EnumMap<>(AppName.class);
    Map<String, String> settings = new HashMap<>();
    PgSettings server = TestDatabases.server();
    settings.put("PG_HOST", server.host());
    settings.put("PG_PORT", String.valueOf(server.port()));
    settings.put("PG_USER", server.user());
    settings.put("PG_PASSWORD", server.password());
    settings.put("JWT_SECRET", SECRET);
    int hzPort = freePort();
    settings.put("HZ_PORT", String.valueOf(hzPort));
    settings.put("HZ_MEMBERS", "127.0.0.1:" + hzPort);
    settings.put("HZ_CLUSTER_NAME", "slabtrack-test-" + UUID.randomUUID().toString().substring(0, 8));
    settings.put("OUTBOX_POLL_MS", "200");
    settings.put("HTTP_PORT", "0"); // node mode's port setting
    for (AppModule m : modules) {
      PgSettings db = TestDatabases.create(m.name().id());
      dbs.put(m.name(), db);
      settings.put(m.name().envPrefix() + "DB", db.database());
      settings.put(m.name().envPrefix() + "PORT", "0");
    }
    settings.putAll(env);
    NodeConfig config = NodeConfig.load(new Settings(settings), mode,
        mode == RunMode.NODE ? Optional.of(modules[0].name()) : Optional.empty());
    String apps = List.of(modules).stream().map(m -> m.name().id()).collect(Collectors.joining(","));
    ClusterNode cluster = ClusterBootstrap.start(HazelcastConfigFactory.build(config, Optional.empty(), apps),
        config.bindHost()).await(60, TimeUnit.SECONDS);
    JwtKeys keys = JwtKeys.of(config.jwtSecret(), config.jwtSecretPrevious());
    KeyFingerprints fingerprints = new KeyFingerprints(cluster, keys.fingerprints(),
        List.of(modules).stream().map(AppModule::name).toList());
    NodeServices services = new NodeServices(cluster, config, keys, new TokenService(cluster.vertx(), keys),
        fingerprints, new SaleLocks(cluster.vertx(), cluster.hazelcast(), config.saleLocks(), clock));
    fingerprints.publish().await(30, TimeUnit.SECONDS);
    SaleLockNode.deploy(services).await(30, TimeUnit.SECONDS);
    Map<AppName, AppRuntime> runtimes = new EnumMap<>(AppName.class);
    for (AppModule m : modules) {
      runtimes.put(m.name(), AppRuntime.start(services, m, false).await(60, TimeUnit.SECONDS));
    }
    return new TestNode(cluster, services, runtimes, dbs);
  }

  public Vertx vertx() {
    return cluster.vertx();
  }

  public ClusterNode cluster() {
    return cluster;
  }

  public AppRuntime runtime(AppName app) {
    return runtimes.get(app);
  }

  public int httpPort(AppName app) {
    return runtimes.get(app).httpPort();
  }

  public String url(AppName app, String path) {
    return "http://127.0.0.1:" + httpPort(app) + path;
  }

  public PgSettings database(AppName app) {
    return databases.get(app);
  }

  /** Runs SQL on an app's database (assertions on state the API doesn't show). */
  public io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row> sql(AppName app, String sql, Object... params)
      throws Exception {
    return runtime(app).context().pool().preparedQuery(sql).execute(io.vertx.sqlclient.Tuple.from(params))
        .await(30, TimeUnit.SECONDS);
  }

  /** The first column of the first row, as a count. */
  public long count(AppName app, String sql, Object... params) throws Exception {
    return sql(app, sql, params).iterator().next().getLong(0);
  }

  /** Stops one app (HTTP, consumers, relay, pool) while the node stays in the cluster: "the app is down". */
  public void stopApp(AppName app) throws Exception {
    AppRuntime rt = runtimes.remove(app);
    if (rt != null) {
      rt.stop().await(30, TimeUnit.SECONDS);
    }
  }

  /** Starts an app (again) on this node, on its existing database: "the app is back". */
  public AppRuntime startApp(AppModule module) throws Exception {
    AppRuntime rt = AppRuntime.start(services, module, false).await(60, TimeUnit.SECONDS);
    runtimes.put(module.name(), rt);
    return rt;
  }

  @Override
  public void close() throws Exception {
    List<AppRuntime> all = new ArrayList<>(runtimes.values());
    for (AppRuntime rt : all) {
      rt.stop().await(30, TimeUnit.SECONDS);
    }
    cluster.vertx().close().await(30, TimeUnit.SECONDS);
    for (PgSettings db : databases.values()) {
      TestDatabases.drop(db);
    }
  }

  /** A port free on loopback now (for a server a test must know the address of before it starts). */
  public static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
