package io.slabtrack.launcher.it;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.launcher.runtime.DevStripeSimulator;
import io.slabtrack.simulator.stripe.StripeSimulatorVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.slabtrack.cluster.config.PgSettings;
import io.slabtrack.cluster.testing.TestDatabases;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real three-JVM cluster (core, ToT, Storefront nodes from the fat jar) on loopback, started once and shared
 * by every integration test of the run, so the suite pays the formation time once. Tests that break it (kill a
 * node) put it back with {@link #restart(AppName)}. Extra nodes can join it with {@link #startExtraNode}.
 */
public final class ClusterFixture implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterFixture.class);
  public static final Duration FORMATION_TIMEOUT = Duration.ofSeconds(90);
  private static ClusterFixture shared;

  private final String clusterName = "slabtrack-it-" + UUID.randomUUID().toString().substring(0, 8);
  private final String jwtSecret = "it-secret-" + UUID.randomUUID() + UUID.randomUUID();
  private final Map<AppName, Integer> hzPorts = new EnumMap<>(AppName.class);
  private final Map<AppName, Integer> httpPorts = new EnumMap<>(AppName.class);
  private final Map<AppName, PgSettings> databases = new EnumMap<>(AppName.class);
  private final Map<AppName, NodeProcess> nodes = new EnumMap<>(AppName.class);
  /**
   * The secrets every node is given (besides the JWT secret and the cluster name), random per run so a test can
   * look for them in the nodes' logs: Stripe key and webhook secrets (for the shared Stripe simulator), the SMTP
   * password (of {@link #mail}), ToT's seed key.
   */
  private final Map<String, String> secrets = new HashMap<>();
  /**
   * The Stripe simulator runs here, not in a node: a node that is killed (other tests do) would take it along, and
   * with it the Storefront's Stripe (its reconcile snapshots ask Stripe). Nodes find the port taken and use it.
   */
  private final Vertx simulatorVertx = Vertx.vertx();
  /** The simulator of the current formation attempt: its webhooks name that attempt's Storefront and ToT ports. */
  private String simulatorDeployment;
  private int stripeSimulatorPort;
  /** A real SMTP server the nodes send login codes and order mails to (authenticated, as production would be). */
  private final GreenMail mail;
  private final List<NodeProcess> extras = new ArrayList<>();
  /** Settings some nodes get on top of (or instead of) the cluster's: a test can make the formation fail. */
  private final Map<AppName, Map<String, String>> overrides;
  private long formationMillis;

  /** The run's shared cluster, started on first use and stopped when the test JVM exits. */
  public static synchronized ClusterFixture shared() throws Exception {
    if (shared == null) {
      ClusterFixture fixture = start(Map.of());
      Runtime.getRuntime().addShutdownHook(new Thread(fixture::closeQuietly));
      shared = fixture;
    }
    return shared;
  }

  /**
   * A cluster of its own, formed before this returns. When it does not form, everything it started (nodes,
   * databases, servers) is stopped before the failure is thrown: no node JVM outlives a failed start.
   */
  static ClusterFixture start(Map<AppName, Map<String, String>> overrides) throws Exception {
    ClusterFixture fixture = new ClusterFixture(overrides);
    try {
      fixture.startAll();
      return fixture;
    } catch (Exception | Error e) {
      fixture.closeQuietly();
      throw e;
    }
  }

  private ClusterFixture(Map<AppName, Map<String, String>> overrides) {
    this.overrides = overrides;
    String run = UUID.randomUUID().toString().replace("-", "");
    secrets.put("STRIPE_SECRET_KEY", "sk_test_it" + run);
    secrets.put("STOREFRONT_STRIPE_WEBHOOK_SECRET", "whsec_itsf" + run);
    secrets.put("STOREFRONT_STRIPE_CONNECT_WEBHOOK_SECRET", "whsec_itsfc" + run);
    secrets.put("TOT_STRIPE_WEBHOOK_SECRET", "whsec_ittot" + run);
    secrets.put("SMTP_PASSWORD", "smtp-pw-" + run);
    secrets.put("TOT_SEED_KEY", "it-seed-key-" + run);
    mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    mail.setUser("slabtrack-it", secrets.get("SMTP_PASSWORD"));
    try {
      startServices();
    } catch (RuntimeException | Error e) {
      closeQuietly();
      throw e;
    }
  }

  /** The mail server and the databases the nodes use. */
  private void startServices() {
    mail.start();
    for (AppName app : AppName.values()) {
      databases.put(app, TestDatabases.create("it_" + app.id()));
    }
  }

  /**
   * Starts the three nodes and waits until they see each other. Their ports are picked free and then handed over,
   * so another process may take one before the node binds it: the node then exits saying so, and the formation
   * starts again on new ports (each node's Hazelcast port is in every node's member list, the Storefront's and
   * ToT's HTTP ports in every node's public URLs and in the simulator's webhooks: all are picked again).
   */
  private void startAll() throws Exception {
    for (int attempt = 1; ; attempt++) {
      long started = System.nanoTime();
      pickPortsAndStartSimulator();
      try {
        for (AppName app : AppName.values()) {
          nodes.put(app, startNode(app));
        }
        NodeProcess.awaitMembers(nodes.values(), 3, FORMATION_TIMEOUT);
        formationMillis = (System.nanoTime() - started) / 1_000_000;
        LOG.info("three-node cluster {} formed in {} ms", clusterName, formationMillis);
        return;
      } catch (NodeProcess.PortTaken e) {
        if (attempt == NodeProcess.PORT_ATTEMPTS) {
          throw e;
        }
        LOG.warn("a node of {} lost a port to another process: forming it again on new ports", clusterName);
        for (NodeProcess node : nodes.values()) {
          node.close();
        }
        nodes.clear();
      }
    }
  }

  /** New node ports, and the Stripe simulator (on a port of its own choosing) sending its webhooks to them. */
  private void pickPortsAndStartSimulator() {
    for (AppName app : AppName.values()) {
      hzPorts.put(app, Ports.free());
      httpPorts.put(app, Ports.free());
    }
    if (simulatorDeployment != null) {
      simulatorVertx.undeploy(simulatorDeployment).await();
    }
    String storefront = "http://127.0.0.1:" + httpPorts.get(AppName.STOREFRONT);
    String tot = "http://127.0.0.1:" + httpPorts.get(AppName.TOT);
    StripeSimulatorVerticle simulator = new StripeSimulatorVerticle(new JsonObject().put("port", 0)
        .put("webhooks", new JsonArray()
            .add(StripeSimulatorVerticle.endpoint(storefront + DevStripeSimulator.STOREFRONT_WEBHOOK_PATH,
                secrets.get("STOREFRONT_STRIPE_WEBHOOK_SECRET"), false))
            .add(StripeSimulatorVerticle.endpoint(storefront + DevStripeSimulator.STOREFRONT_CONNECT_WEBHOOK_PATH,
                secrets.get("STOREFRONT_STRIPE_CONNECT_WEBHOOK_SECRET"), true))
            .add(StripeSimulatorVerticle.endpoint(tot + DevStripeSimulator.TOT_WEBHOOK_PATH,
                secrets.get("TOT_STRIPE_WEBHOOK_SECRET"), false))));
    simulatorDeployment = simulatorVertx.deployVerticle(simulator).await();
    stripeSimulatorPort = simulator.port();
  }

  public String members() {
    return String.join(",", hzPorts.values().stream().map(p -> "127.0.0.1:" + p).toList());
  }

  /** HZ_CLUSTER_NAME of this cluster: a shared secret in node mode, which no node may print. */
  public String clusterName() {
    return clusterName;
  }

  /** The environment of a node of this cluster; override entries for odd nodes (other secret…). */
  public Map<String, String> env(AppName app, int hzPort, int httpPort) {
    Map<String, String> env = new HashMap<>();
    env.put("HZ_CLUSTER_NAME", clusterName);
    env.put("HZ_MEMBERS", members());
    env.put("HZ_PORT", String.valueOf(hzPort));
    env.put("HTTP_PORT", String.valueOf(httpPort));
    env.put("JWT_SECRET", jwtSecret);
    env.putAll(secrets); // node mode refuses to seal seeds with the dev key; Stripe and SMTP as in production
    env.put("STRIPE_SIMULATOR", "true");
    env.put("STRIPE_SIMULATOR_PORT", String.valueOf(stripeSimulatorPort));
    env.put("STOREFRONT_PUBLIC_URL", "http://127.0.0.1:" + httpPorts.get(AppName.STOREFRONT));
    env.put("TOT_PUBLIC_URL", "http://127.0.0.1:" + httpPorts.get(AppName.TOT));
    env.put("SMTP_HOST", "127.0.0.1");
    env.put("SMTP_PORT", String.valueOf(mail.getSmtp().getPort()));
    env.put("SMTP_USERNAME", "slabtrack-it");
    env.put("SMTP_STARTTLS", "disabled"); // GreenMail's plain SMTP port
    env.put("PG_HOST", TestDatabases.server().host());
    env.put("PG_PORT", String.valueOf(TestDatabases.server().port()));
    env.put("PG_USER", TestDatabases.server().user());
    env.put("PG_PASSWORD", TestDatabases.server().password());
    for (AppName a : AppName.values()) {
      env.put(a.envPrefix() + "DB", databases.get(a).database());
    }
    env.put("OUTBOX_POLL_MS", "500");
    env.put("SALE_LOCK_SWEEP_SECONDS", "1");
    return env;
  }

  private NodeProcess startNode(AppName app) throws Exception {
    Map<String, String> env = env(app, hzPorts.get(app), httpPorts.get(app));
    env.putAll(overrides.getOrDefault(app, Map.of()));
    return NodeProcess.start(app.id(), httpPorts.get(app), env, "node", "--app", app.id());
  }

  /**
   * A further node joining this cluster (its Hazelcast port is added to nobody's list: it joins through them).
   * Returns once it listens on both its ports: one taken meanwhile by another process means a start on new ones.
   */
  public NodeProcess startExtraNode(AppName app, Map<String, String> overrides) throws Exception {
    NodeProcess node = NodeProcess.startOnFreshPorts(() -> {
      int http = Ports.free();
      Map<String, String> env = env(app, Ports.free(), http);
      env.putAll(overrides);
      NodeProcess started = NodeProcess.start(app.id() + "-extra", http, env, "node", "--app", app.id());
      extras.add(started);
      return started;
    }, started -> started.awaitOutput(NodeProcess.HTTP_LISTENING, FORMATION_TIMEOUT));
    return node;
  }

  public NodeProcess node(AppName app) {
    return nodes.get(app);
  }

  public int hazelcastPort(AppName app) {
    return hzPorts.get(app);
  }

  public String jwtSecret() {
    return jwtSecret;
  }

  /** Every secret the nodes were given (name → value), the JWT secret and the cluster name included. */
  public Map<String, String> secrets() {
    Map<String, String> all = new HashMap<>(secrets);
    all.put("JWT_SECRET", jwtSecret);
    all.put("HZ_CLUSTER_NAME", clusterName);
    return all;
  }

  public GreenMail mail() {
    return mail;
  }

  /** Base URL of the Stripe simulator the satellites share. */
  public String stripeSimulator() {
    return "http://127.0.0.1:" + stripeSimulatorPort;
  }

  public PgSettings database(AppName app) {
    return databases.get(app);
  }

  public long formationMillis() {
    return formationMillis;
  }

  /** Starts a fresh process for the app (after a kill) and waits until every node sees three members again. */
  public NodeProcess restart(AppName app) throws Exception {
    NodeProcess old = nodes.get(app);
    if (old != null) {
      old.close();
    }
    NodeProcess fresh = startNode(app);
    nodes.put(app, fresh);
    NodeProcess.awaitMembers(nodes.values(), 3, FORMATION_TIMEOUT);
    return fresh;
  }

  /** Stops everything this fixture started; a step that fails does not keep the others from running. */
  @Override
  public void close() {
    for (NodeProcess node : extras) {
      quietly("stop " + node.name(), node::close);
    }
    for (NodeProcess node : nodes.values()) {
      quietly("stop " + node.name(), node::close);
    }
    quietly("stop the mail server", mail::stop);
    quietly("stop the Stripe simulator", () -> simulatorVertx.close().await());
    for (PgSettings db : databases.values()) {
      quietly("drop " + db.database(), () -> TestDatabases.drop(db));
    }
  }

  private void closeQuietly() {
    quietly("close the fixture", this::close);
  }

  private static void quietly(String what, Step step) {
    try {
      step.run();
    } catch (Exception | Error e) {
      LOG.warn("could not {}", what, e);
    }
  }

  private interface Step {
    void run() throws Exception;
  }
}
