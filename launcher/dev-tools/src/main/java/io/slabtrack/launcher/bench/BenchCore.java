package io.slabtrack.launcher.bench;

import io.slabtrack.cluster.app.RunningNode;
import io.slabtrack.cluster.auth.Role;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.config.NodeConfig;
import io.slabtrack.cluster.config.PgSettings;
import io.slabtrack.cluster.config.RunMode;
import io.slabtrack.cluster.config.Settings;
import io.slabtrack.cluster.db.Databases;
import io.slabtrack.launcher.commands.ServerCommand;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A real core node for the core benchmarks: the same NodeStarter as {@code node --app core}, on a throwaway
 * database, driven through its operator HTTP API like an operator's tools would.
 */
final class BenchCore implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  final RunningNode node;
  final Map<String, String> env;
  final String clusterName;
  final int hzPort;
  private final int httpPort;
  private final String operatorToken;
  private final PgSettings db;

  private BenchCore(RunningNode node, Map<String, String> env, String clusterName, int hzPort, int httpPort,
                    PgSettings db) {
    this.node = node;
    this.env = env;
    this.clusterName = clusterName;
    this.hzPort = hzPort;
    this.httpPort = httpPort;
    this.db = db;
    this.operatorToken = node.services().tokens().mintSession("bench-operator", "bench@slabtrack.local",
        Set.of(Role.OPERATOR), AppName.CORE, Duration.ofHours(1));
  }

  static BenchCore start(String membersExtra) throws Exception {
    int hzPort = BenchCluster.freePort();
    int httpPort = BenchCluster.freePort();
    String clusterName = "slabtrack-bench-" + UUID.randomUUID().toString().substring(0, 8);
    String members = "127.0.0.1:" + hzPort + (membersExtra == null ? "" : "," + membersExtra);
    Map<String, String> env = new HashMap<>(BenchCluster.env(clusterName, hzPort, members));
    env.put("HTTP_PORT", String.valueOf(httpPort));
    env.put("CORE_DB", "slabtrack_bench_core_" + UUID.randomUUID().toString().substring(0, 8));
    env.put("OUTBOX_POLL_MS", "200");
    NodeConfig config = NodeConfig.load(new Settings(env), RunMode.NODE, java.util.Optional.of(AppName.CORE));
    RunningNode node = ServerCommand.await(BenchNodes.provided().start(config, new Settings(env), List.of(AppName.CORE)));
    return new BenchCore(node, env, clusterName, hzPort, httpPort, config.database(AppName.CORE));
  }

  Pool pool() {
    return node.apps().get(0).context().pool();
  }

  HttpResponse<String> call(String method, String path, String body) throws Exception {
    return callPort(AppName.CORE, httpPort, method, path, body);
  }

  /**
   * The operator's call to an app's node on this machine: a session issued for that app (the same JWT secret signs
   * for every app, but each app accepts only sessions meant for it).
   */
  HttpResponse<String> callPort(AppName app, int port, String method, String path, String body) throws Exception {
    String token = app == AppName.CORE ? operatorToken : node.services().tokens().mintSession("bench-operator",
        "bench@slabtrack.local", Set.of(Role.OPERATOR), app, Duration.ofHours(1));
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .timeout(Duration.ofMinutes(2));
    b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
        : b.method(method, HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Imports {@code count} realistic cards through the import job; returns their ids. */
  List<Long> importCards(int count, String label) throws Exception {
    JsonArray cards = new JsonArray();
    for (int i = 0; i < count; i++) {
      cards.add(new JsonObject().put("player", label + " Player " + i).put("year", 2018 + i % 7)
          .put("setName", "Panini Prizm").put("gradingCompany", "PSA").put("grade", 9 + i % 2)
          .put("certNumber", label + "-" + i).put("askingPrice", 1500 + (i % 40) * 250));
    }
    HttpResponse<String> r = call("POST", "/api/cards/import", cards.encode());
    if (r.statusCode() != 202) {
      throw new IllegalStateException("import refused: " + r.statusCode() + " " + r.body());
    }
    String jobId = new JsonObject(r.body()).getString("id");
    while (true) {
      JsonObject job = new JsonObject(call("GET", "/api/jobs/" + jobId, null).body());
      if ("done".equals(job.getString("status")) || "failed".equals(job.getString("status"))) {
        break;
      }
      Thread.sleep(100);
    }
    List<Long> ids = new ArrayList<>();
    for (Row row : pool().preparedQuery("SELECT id FROM cards WHERE cert_number LIKE $1 ORDER BY id")
        .execute(io.vertx.sqlclient.Tuple.of(label + "-%")).await()) {
      ids.add(row.getLong(0));
    }
    return ids;
  }

  /** Engages the cards on the channels (one commit, all or nothing). */
  void engage(List<Long> ids, List<String> channels) throws Exception {
    JsonArray items = new JsonArray();
    for (Long id : ids) {
      for (String channel : channels) {
        JsonObject item = new JsonObject().put("cardId", id).put("channel", channel);
        if ("storefront".equals(channel)) {
          item.put("shop", "bench");
        }
        items.add(item);
      }
    }
    HttpResponse<String> r = call("POST", "/api/channels/commit", items.encode());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("commit refused: " + r.statusCode() + " " + r.body());
    }
  }

  /** Outbox rows core's relay has recorded delivered so far (its meter: no query). */
  long relayed() {
    io.micrometer.core.instrument.Counter c = io.slabtrack.cluster.metrics.NodeMetrics
        .registry(node.services().cluster().vertx()).find("slabtrack.outbox.delivered")
        .tag("app", AppName.CORE.id()).counter();
    return c == null ? Long.MAX_VALUE : (long) c.count();
  }

  long delivered(String address) throws Exception {
    return pool().preparedQuery("SELECT count(*) FROM outbox WHERE status = 'delivered' AND address = $1")
        .execute(io.vertx.sqlclient.Tuple.of(address)).await().iterator().next().getLong(0);
  }

  @Override
  public void close() throws Exception {
    node.stop().await();
    Databases.drop(db);
  }
}
