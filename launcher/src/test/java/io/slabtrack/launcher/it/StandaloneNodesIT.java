package io.slabtrack.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.PgSettings;
import io.slabtrack.cluster.testing.TestDatabases;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Processes started on their own: dev mode, a satellite without core, and bad configuration. */
class StandaloneNodesIT {
  private static final Logger LOG = LoggerFactory.getLogger(StandaloneNodesIT.class);

  private static Map<String, String> baseEnv(String label) {
    Map<String, String> env = new HashMap<>();
    env.put("HZ_CLUSTER_NAME", "slabtrack-it-" + label + "-" + UUID.randomUUID().toString().substring(0, 8));
    env.put("HZ_PORT", String.valueOf(Ports.free()));
    env.put("PG_HOST", TestDatabases.server().host());
    env.put("PG_PORT", String.valueOf(TestDatabases.server().port()));
    env.put("PG_USER", TestDatabases.server().user());
    return env;
  }

  @Test
  void devModeStartsAllThreeAppsFromTheFatJarAndStopsOnSigterm() throws Exception {
    Map<String, String> env = baseEnv("dev");
    List<PgSettings> dbs = List.of(TestDatabases.create("dev_core"), TestDatabases.create("dev_tot"),
        TestDatabases.create("dev_sf"));
    env.put("CORE_DB", dbs.get(0).database());
    env.put("TOT_DB", dbs.get(1).database());
    env.put("STOREFRONT_DB", dbs.get(2).database());
    try (NodeProcess dev = NodeProcess.startOnFreshPorts(() -> {
      for (String port : List.of("CORE_PORT", "TOT_PORT", "STOREFRONT_PORT")) {
        env.put(port, String.valueOf(Ports.free()));
      }
      return NodeProcess.start("dev", Integer.parseInt(env.get("CORE_PORT")), env, "dev", "--no-demo");
    }, started -> started.awaitOutput("SlabTrack dev mode is ready", Duration.ofSeconds(60)))) {
      long coldStart = dev.millisSinceStart();
      int core = dev.httpPort();
      int tot = Integer.parseInt(dev.env("TOT_PORT"));
      int storefront = Integer.parseInt(dev.env("STOREFRONT_PORT"));
      for (int port : new int[] {core, tot, storefront}) {
        NodeProcess.Answer ready = get(port, "/ready");
        assertThat(ready.status()).as("ready on " + port).isEqualTo(200);
        assertThat(ready.members()).isEqualTo(1);
        assertThat(get(port, "/health").status()).isEqualTo(200);
      }
      LOG.info("FIGURE dev mode cold start to all-ready: {} ms (from process start, incl. JVM start)", coldStart);
      assertThat(dev.output()).contains("SlabTrack dev mode is ready").contains("http://localhost:" + tot)
          .contains("PUBLIC dev secret")
          .contains("event-bus bridge listening on"); // on in dev mode (7000, or a free port if taken)
      // 143 = 128 + SIGTERM: how a JVM reports a signal-initiated exit after its shutdown hooks ran
      assertThat(dev.terminate(Duration.ofSeconds(30))).isEqualTo(143);
      assertThat(dev.output()).contains("dev stopped");
    } finally {
      dbs.forEach(TestDatabases::drop);
    }
  }

  private static NodeProcess.Answer get(int port, String path) throws Exception {
    var client = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
    var response = client.send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + port + path))
            .header("Authorization", "Bearer " + io.slabtrack.cluster.testing.TestTokens.anyApp(
                io.slabtrack.cluster.testing.TestTokens.DEV_SECRET)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    return new NodeProcess.Answer(response.statusCode(), response.body());
  }

  @Test
  void aSatelliteBecomesReadyWhileNoCoreRuns() throws Exception {
    Map<String, String> env = baseEnv("lonely");
    PgSettings db = TestDatabases.create("lonely_sf");
    env.put("STOREFRONT_DB", db.database());
    env.put("JWT_SECRET", "lonely-satellite-secret-0123456789abcdef");
    NodeProcess.Answer[] ready = new NodeProcess.Answer[1];
    try (NodeProcess sf = NodeProcess.startOnFreshPorts(() -> {
      int http = Ports.free();
      env.put("HZ_PORT", String.valueOf(Ports.free()));
      // the second member never starts: its port is only listed (core's node, which never comes)
      env.put("HZ_MEMBERS", "127.0.0.1:" + env.get("HZ_PORT") + ",127.0.0.1:" + Ports.free());
      env.put("HTTP_PORT", String.valueOf(http));
      return NodeProcess.start("lonely-storefront", http, env, "node", "--app", "storefront");
    }, started -> ready[0] = started.awaitReady(a -> a.status() == 200, Duration.ofSeconds(60)))) {
      var jwt = ready[0].check("jwt-keys").orElseThrow();
      assertThat(jwt.getString("status")).isEqualTo("UP");
      assertThat(jwt.getJsonObject("data").getString("warning")).contains("no core member");
    } finally {
      TestDatabases.drop(db);
    }
  }

  /**
   * A port taken between its pick and the node's bind (by another test JVM, or an outgoing connection) costs a
   * start on new ports, not the test: here the first start is given a Hazelcast port this test holds.
   */
  @Test
  void aNodeWhosePortWasTakenIsStartedAgainOnNewPorts() throws Exception {
    Map<String, String> env = baseEnv("taken");
    PgSettings db = TestDatabases.create("taken_sf");
    env.put("STOREFRONT_DB", db.database());
    env.put("JWT_SECRET", "taken-port-secret-0123456789abcdef");
    List<NodeProcess> starts = new ArrayList<>();
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
         NodeProcess sf = NodeProcess.startOnFreshPorts(() -> {
           int http = Ports.free();
           env.put("HZ_PORT", String.valueOf(starts.isEmpty() ? taken.getLocalPort() : Ports.free()));
           env.put("HTTP_PORT", String.valueOf(http));
           NodeProcess started = NodeProcess.start("taken-storefront", http, env, "node", "--app", "storefront");
           starts.add(started);
           return started;
         }, started -> started.awaitOutput(NodeProcess.HTTP_LISTENING, Duration.ofSeconds(60)))) {
      assertThat(starts).hasSize(2);
      assertThat(starts.get(0).isAlive()).isFalse();
      assertThat(starts.get(0).output()).contains("Port [" + taken.getLocalPort() + "] is already in use");
      assertThat(sf.awaitReady(a -> a.status() == 200, Duration.ofSeconds(60)).status()).isEqualTo(200);
    } finally {
      TestDatabases.drop(db);
    }
  }

  @Test
  void badConfigurationExitsNonZeroWithOneClearLine() throws Exception {
    Map<String, String> env = baseEnv("badcfg");
    env.remove("JWT_SECRET");
    assertExit(env, 2, "JWT_SECRET is required", "node", "--app", "core");

    env.put("JWT_SECRET", "too-short");
    assertExit(env, 2, "JWT_SECRET must be at least 32 bytes", "node", "--app", "core");

    env.put("JWT_SECRET", "long-enough-secret-for-this-test-0123456789");
    // the cluster name is the only thing Hazelcast OSS asks of a joining member: node mode wants a real secret
    String clusterSecret = env.remove("HZ_CLUSTER_NAME");
    assertExit(env, 2, "HZ_CLUSTER_NAME is required in node mode", "node", "--app", "core");
    env.put("HZ_CLUSTER_NAME", "slabtrack");
    assertExit(env, 2, "HZ_CLUSTER_NAME must be at least 16 characters", "node", "--app", "core");
    env.put("HZ_CLUSTER_NAME", clusterSecret);

    env.put("PG_PORT", "1");
    assertExit(env, 2, "is not reachable (check PG_HOST, PG_PORT", "node", "--app", "tot");

    env.put("PG_PORT", String.valueOf(TestDatabases.server().port()));
    env.put("HZ_PORT", "not-a-port");
    assertExit(env, 2, "HZ_PORT must be an integer", "node", "--app", "tot");

    env.put("HZ_PORT", String.valueOf(Ports.free()));
    assertExit(env, 2, "unknown app 'bogus'", "node", "--app", "bogus");

    // checked before logging starts, so the line is plain whatever the format would have been
    env.put("LOG_FORMAT", "xml");
    assertExit(env, 2, "LOG_FORMAT must be json or text, got 'xml'", "node", "--app", "core");
    env.remove("LOG_FORMAT");
    env.put("HZ_DISCOVERY", "kubernetes");
    env.put("HZ_MIN_MEMBERS", "2");
    assertExit(env, 2, "HZ_KUBERNETES_SERVICE_DNS is required with HZ_DISCOVERY=kubernetes", "node", "--app", "core");
  }

  /**
   * Without TOT_SEED_KEY a ToT node would seal its server seeds with the public dev key (anyone reading the database
   * could unseal them and choose a winning client seed): it exits 2 naming the variable, before joining the cluster.
   */
  @Test
  void aTotNodeWithoutTotSeedKeyExits2NamingIt() throws Exception {
    Map<String, String> env = baseEnv("noseedkey");
    env.put("JWT_SECRET", "seed-key-test-secret-0123456789abcdef");
    env.put("HTTP_PORT", "0"); // it exits before listening
    env.put("TOT_SEED_KEY", ""); // blank counts as unset, and keeps this JVM's own environment out
    assertExit(env, 2, "TOT_SEED_KEY is required in node mode", "node", "--app", "tot");
  }

  /**
   * A failure half-way through startup (here Flyway refusing a database whose history names a migration this build
   * doesn't have) ends the process with the cause in its output. It used to hang: the failure was routed through an
   * event loop of the Vert.x instance the cleanup had just closed, and never reached the waiting main thread.
   */
  @Test
  void aNodeThatFailsWhileStartingExitsWithTheCauseInsteadOfHanging() throws Exception {
    Map<String, String> env = baseEnv("failstart");
    PgSettings db = TestDatabases.create("failstart_core");
    try {
      io.slabtrack.cluster.db.Migrations.migrate(db, "classpath:db/core");
      try (var conn = java.sql.DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
           var st = conn.createStatement()) {
        st.executeUpdate("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,"
            + " checksum, installed_by, execution_time, success) VALUES (1000, '15', 'gone', 'SQL', 'V15__gone.sql',"
            + " 0, 'postgres', 0, true)");
      }
      env.put("JWT_SECRET", "fail-at-start-secret-0123456789abcdef");
      env.put("HTTP_PORT", "0"); // it exits before listening
      env.put("CORE_DB", db.database());
      try (NodeProcess p = NodeProcess.start("failstart", 0, env, "node", "--app", "core")) {
        int exit = p.waitForExit(Duration.ofSeconds(60));
        assertThat(exit).as(p.output()).isNotZero();
        assertThat(p.output()).contains("startup failed").contains("Validate failed");
      }
    } finally {
      TestDatabases.drop(db);
    }
  }

  private static void assertExit(Map<String, String> env, int code, String message, String... args)
      throws Exception {
    try (NodeProcess p = NodeProcess.start("badcfg", 0, env, args)) {
      int exit = p.waitForExit(Duration.ofSeconds(30));
      assertThat(exit).as(p.output()).isEqualTo(code);
      assertThat(p.output()).contains("error: ").contains(message);
    }
  }
}
