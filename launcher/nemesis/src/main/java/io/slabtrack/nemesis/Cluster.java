package io.slabtrack.nemesis;

import io.slabtrack.cluster.auth.JwtKeys;
import io.slabtrack.cluster.auth.TokenService;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.config.PgSettings;
import io.slabtrack.cluster.db.Databases;
import io.slabtrack.simulator.stripe.StripeSimulatorVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The system under test: two nodes of each app from the fat jar, a fresh database per app (each reached through its
 * own {@link TcpForwarder}), the Stripe simulator in this JVM, webhooks through a {@link FailoverProxy} per
 * satellite, and an SMTP sink. Short sale-lock timings so abandoned checkouts resolve within a run.
 */
public final class Cluster implements AutoCloseable {
  // the satellites' public Stripe webhook routes (the simulator posts its events there, through the failover proxies)
  private static final String STOREFRONT_WEBHOOK_PATH = "/api/stripe/webhook";
  private static final String STOREFRONT_CONNECT_WEBHOOK_PATH = "/api/stripe/connect/webhook";
  private static final String TOT_WEBHOOK_PATH = "/api/stripe/webhook";
  private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);
  public static final int NODES_PER_APP = 2;
  /** Sale-lock TTL the nodes get (SALE_LOCK_MAX_TTL_SECONDS caps ToT's 10-minute play locks too). */
  public static final int LOCK_TTL_SECONDS = 45;
  public static final int LOCK_GRACE_SECONDS = 10;

  private final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private final String jwtSecret = "nemesis-" + UUID.randomUUID() + UUID.randomUUID();
  private final String stripeKey = "sk_test_nemesis" + run;
  private final Map<String, String> webhookSecrets = Map.of(
      "STOREFRONT_STRIPE_WEBHOOK_SECRET", "whsec_nsf" + run,
      "STOREFRONT_STRIPE_CONNECT_WEBHOOK_SECRET", "whsec_nsfc" + run,
      "TOT_STRIPE_WEBHOOK_SECRET", "whsec_ntot" + run);
  private final Vertx vertx = Vertx.vertx();
  private final Network network;
  private final Path jar;
  private final Path logDir;
  private final Map<AppName, PgSettings> databases = new EnumMap<>(AppName.class);
  private final Map<AppName, TcpForwarder> forwarders = new EnumMap<>(AppName.class);
  private final Map<AppName, FailoverProxy> proxies = new EnumMap<>(AppName.class);
  private final List<NodeProcess> nodes = new ArrayList<>();
  private final TokenService tokens;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  /** Set when the run shapes links: every node's member and bus ports behind it. */
  private final LinkShaper shaper;
  private StripeSimulatorVerticle simulator;
  private SmtpSink smtp;

  public Cluster(Network network, Path jar, Path logDir) {
    this(network, jar, logDir, false);
  }

  /** @param shapeLinks every member-to-member and bus link through a {@link LinkShaper} (off until a fault) */
  public Cluster(Network network, Path jar, Path logDir, boolean shapeLinks) {
    this.network = network;
    this.jar = jar;
    this.logDir = logDir;
    this.shaper = shapeLinks ? new LinkShaper(vertx) : null;
    this.tokens = new TokenService(vertx, JwtKeys.of(jwtSecret, Optional.empty()));
  }

  public static PgSettings pgServer() {
    return new PgSettings(env("PG_HOST", "127.0.0.1"), Integer.parseInt(env("PG_PORT", "5432")),
        env("PG_USER", "postgres"), env("PG_PASSWORD", ""), "postgres");
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  public void start() throws Exception {
    int total = NODES_PER_APP * AppName.values().length;
    network.setUp(total);
    String gw = network.gateway();
    PgSettings server = pgServer();
    for (AppName app : AppName.values()) {
      PgSettings db = server.withDatabase("st_nemesis_" + app.id() + "_" + run);
      Databases.ensureExists(db);
      databases.put(app, db);
      forwarders.put(app, TcpForwarder.start(vertx, gw, server.host(), server.port()));
    }
    smtp = SmtpSink.start(vertx, gw);
    // node addresses and ports first: every node lists every member
    List<String> hz = new ArrayList<>();
    Map<Integer, Integer> httpPorts = new HashMap<>();
    Map<Integer, Integer> hzPorts = new HashMap<>();
    Map<Integer, Map<String, String>> advertised = new HashMap<>();
    for (int i = 0; i < total; i++) {
      httpPorts.put(i, freePort());
      hzPorts.put(i, freePort());
      advertised.put(i, shaper == null ? Map.of() : shapedAddresses(i, hzPorts.get(i)));
      hz.add(advertised.get(i).getOrDefault("HZ_PUBLIC_ADDRESS", network.host(i) + ":" + hzPorts.get(i)));
    }
    for (AppName app : List.of(AppName.STOREFRONT, AppName.TOT)) {
      List<String> backends = new ArrayList<>();
      for (int i = 0; i < total; i++) {
        if (appOf(i) == app) {
          backends.add(network.host(i) + ":" + httpPorts.get(i));
        }
      }
      proxies.put(app, FailoverProxy.start(vertx, gw, backends));
    }
    String sf = "http://" + gw + ":" + proxies.get(AppName.STOREFRONT).port();
    String tot = "http://" + gw + ":" + proxies.get(AppName.TOT).port();
    simulator = new StripeSimulatorVerticle(new JsonObject().put("port", 0).put("host", gw).put("apiKey", stripeKey)
        .put("webhookRetryBaseMs", 500L)
        .put("webhooks", new JsonArray()
            .add(StripeSimulatorVerticle.endpoint(sf + STOREFRONT_WEBHOOK_PATH,
                webhookSecrets.get("STOREFRONT_STRIPE_WEBHOOK_SECRET"), false))
            .add(StripeSimulatorVerticle.endpoint(sf + STOREFRONT_CONNECT_WEBHOOK_PATH,
                webhookSecrets.get("STOREFRONT_STRIPE_CONNECT_WEBHOOK_SECRET"), true))
            .add(StripeSimulatorVerticle.endpoint(tot + TOT_WEBHOOK_PATH,
                webhookSecrets.get("TOT_STRIPE_WEBHOOK_SECRET"), false))));
    vertx.deployVerticle(simulator).await();
    for (int i = 0; i < total; i++) {
      AppName app = appOf(i);
      Map<String, String> env = new HashMap<>(webhookSecrets);
      env.put("HZ_CLUSTER_NAME", "nemesis-" + run + "-cluster");
      env.put("HZ_MEMBERS", String.join(",", hz));
      env.put("HZ_PORT", String.valueOf(hzPorts.get(i)));
      env.put("BIND_HOST", network.host(i));
      env.putAll(advertised.get(i));
      env.put("HTTP_HOST", network.host(i));
      env.put("HTTP_PORT", String.valueOf(httpPorts.get(i)));
      env.put("JWT_SECRET", jwtSecret);
      env.put("TOT_SEED_KEY", "nemesis-seed-" + run);
      env.put("STRIPE_SECRET_KEY", stripeKey);
      env.put("STRIPE_API_BASE", simulator.baseUrl());
      env.put("STOREFRONT_PUBLIC_URL", sf);
      env.put("TOT_PUBLIC_URL", tot);
      env.put("SMTP_HOST", gw);
      env.put("SMTP_PORT", String.valueOf(smtp.port()));
      env.put("SMTP_STARTTLS", "disabled");
      for (AppName a : AppName.values()) {
        env.put(a.envPrefix() + "DB", databases.get(a).database());
      }
      // each app reaches its own database only, through its forwarder
      env.put("PG_HOST", gw);
      env.put("PG_PORT", String.valueOf(forwarders.get(app).port()));
      env.put("PG_USER", server.user());
      env.put("PG_PASSWORD", server.password());
      env.put("OUTBOX_POLL_MS", "500");
      env.put("SALE_LOCK_SWEEP_SECONDS", "2");
      env.put("SALE_LOCK_TTL_SECONDS", String.valueOf(LOCK_TTL_SECONDS));
      env.put("SALE_LOCK_MAX_TTL_SECONDS", String.valueOf(LOCK_TTL_SECONDS));
      env.put("SALE_LOCK_GRACE_SECONDS", String.valueOf(LOCK_GRACE_SECONDS));
      env.put("LOG_FORMAT", "json");
      // the buyers are one client racing itself: the anti-hoarding limits would turn most of them away
      for (String limit : List.of("BUYER_LIMIT_PENDING_PER_EMAIL", "BUYER_LIMIT_PENDING_PER_ADDRESS",
          "BUYER_LIMIT_PER_EMAIL", "BUYER_LIMIT_PER_ADDRESS")) {
        env.put(limit, "1000000");
      }
      String name = app.id() + "-" + (i % NODES_PER_APP + 1);
      nodes.add(new NodeProcess(name, app.id(), i, network.prefix(i), jar, env, logDir));
    }
    long started = System.nanoTime();
    // first node of each app alone (it runs the app's migrations), then the second ones
    for (NodeProcess n : nodes) {
      if (n.index() % NODES_PER_APP == 0) {
        n.start();
      }
    }
    for (NodeProcess n : nodes) {
      if (n.index() % NODES_PER_APP == 0) {
        awaitReady(n, 1, Duration.ofSeconds(300));
      }
    }
    // then the second ones, one at a time: six JVMs joining at once on a small machine miss their deadlines
    int members = AppName.values().length;
    for (NodeProcess n : nodes) {
      if (n.index() % NODES_PER_APP != 0) {
        n.start();
        awaitReady(n, ++members, Duration.ofSeconds(300));
      }
    }
    for (NodeProcess n : nodes) {
      awaitReady(n, total, Duration.ofSeconds(300));
    }
    LOG.info("cluster of {} nodes formed in {} s", total, (System.nanoTime() - started) / 1_000_000_000);
  }

  /**
   * Node {@code i}'s Hazelcast and bus ports behind shaper listeners, which it advertises as its own: the other
   * members reach it only through them (its HTTP and PostgreSQL links stay direct).
   */
  private Map<String, String> shapedAddresses(int i, int hzPort) throws IOException {
    String gw = network.gateway();
    int busPort = freePort();
    return Map.of(
        "HZ_PUBLIC_ADDRESS", gw + ":" + shaper.listen(gw, network.host(i), hzPort),
        "EVENTBUS_PORT", String.valueOf(busPort),
        "EVENTBUS_PUBLIC_HOST", gw,
        "EVENTBUS_PUBLIC_PORT", String.valueOf(shaper.listen(gw, network.host(i), busPort)));
  }

  public static AppName appOf(int index) {
    return AppName.values()[index / NODES_PER_APP];
  }

  private static int freePort() throws IOException {
    return ListenPorts.free();
  }

  /** /ready answered 200 with at least {@code members} cluster members. */
  public void awaitReady(NodeProcess n, int members, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      if (!n.alive()) {
        throw new IllegalStateException(n.name() + " exited; see its log in " + logDir);
      }
      int seen = members(n);
      if (seen >= members) {
        return;
      }
      last = "members " + seen;
      Thread.sleep(500);
    }
    throw new IllegalStateException(n.name() + " not ready within " + timeout + " (" + last + "); logs in " + logDir);
  }

  /** Members the node's /ready reports, or -1 when it does not answer 200. */
  public int members(NodeProcess n) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url(n, "/ready")))
          .timeout(Duration.ofSeconds(3)).header("Authorization", "Bearer " + probeToken()).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return -1;
      }
      for (Object c : new JsonObject(r.body()).getJsonArray("checks", new JsonArray())) {
        JsonObject check = (JsonObject) c;
        if ("cluster".equals(check.getString("id"))) {
          return check.getJsonObject("data", new JsonObject()).getInteger("members", -1);
        }
      }
      return -1;
    } catch (Exception e) {
      return -1;
    }
  }

  public String url(NodeProcess n, String path) {
    return "http://" + network.host(n.index()) + ":" + n.env("HTTP_PORT") + path;
  }

  private String probeToken() {
    JsonArray all = new JsonArray();
    for (AppName app : AppName.values()) {
      all.add(app.id());
    }
    return tokens.mint(new JsonObject().put("sub", TokenService.SERVICE_SUBJECT_PREFIX + "nemesis-probe")
        .put("aud", all).put("typ", "service"), Duration.ofHours(2));
  }

  public String operatorToken(AppName app) {
    return tokens.mintSession("nemesis-operator", "nemesis-operator@example.test",
        java.util.Set.of(io.slabtrack.cluster.auth.Role.OPERATOR), app, Duration.ofHours(2));
  }

  public List<NodeProcess> nodes() {
    return nodes;
  }

  public List<NodeProcess> nodes(AppName app) {
    return nodes.stream().filter(n -> n.app().equals(app.id())).toList();
  }

  public NodeProcess byMember(String hostPort) {
    for (NodeProcess n : nodes) {
      if ((network.host(n.index()) + ":" + n.env("HZ_PORT")).equals(hostPort) || hostPort.equals(
          n.env("HZ_PUBLIC_ADDRESS"))) {
        return n;
      }
    }
    return null;
  }

  /** The links' shaper, or null when this run's links are direct. */
  public LinkShaper shaper() {
    return shaper;
  }

  public Network network() {
    return network;
  }

  public Vertx vertx() {
    return vertx;
  }

  public PgSettings database(AppName app) {
    return databases.get(app);
  }

  public TcpForwarder forwarder(AppName app) {
    return forwarders.get(app);
  }

  public String stripeBase() {
    return simulator.baseUrl();
  }

  public String stripeKey() {
    return stripeKey;
  }

  public Path logDir() {
    return logDir;
  }

  @Override
  public void close() {
    for (NodeProcess n : nodes) {
      if (!n.alive()) {
        continue; // never started (start failed before it), or already gone
      }
      try {
        n.signal("CONT");
        n.kill9();
      } catch (Exception e) {
        LOG.warn("stopping {}: {}", n.name(), e.toString());
      }
    }
    try {
      network.heal();
    } catch (Exception e) {
      LOG.warn("heal: {}", e.toString());
    }
    network.close();
    try {
      vertx.close().await();
    } catch (Exception e) {
      LOG.warn("vertx close: {}", e.toString());
    }
    for (PgSettings db : databases.values()) {
      try {
        Databases.drop(db);
      } catch (Exception e) {
        LOG.warn("could not drop {}: {}", db.database(), e.toString());
      }
    }
  }
}
