package io.slabtrack.cluster.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A database that can't answer is "try again", not a bug: a route whose query meets a PostgreSQL that is down
 * (nothing listening) or refuses connections (too many clients: SQLSTATE 53300, from the real server) answers
 * 503 database_unavailable with Retry-After, while a wrong statement stays a 500 (found by the nemesis suite's
 * database scenario, where checkouts answered 500 during an outage).
 */
class DatabaseUnavailableTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private Vertx vertx;
  private HttpServer server;
  private Pool down;
  private Pool crowded;
  private Pool healthy;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort(); // free again once closed: nothing listens there
    }
    down = PgBuilder.pool().connectingTo(options().setPort(closedPort)).using(vertx).build();
    // a role allowed no connection at all: the real server refuses it with 53300 too_many_connections
    healthy = PgBuilder.pool().connectingTo(options()).with(new PoolOptions().setMaxSize(1)).using(vertx).build();
    String role = "st_test_crowded_" + Long.toHexString(System.nanoTime());
    healthy.query("CREATE ROLE " + role + " LOGIN CONNECTION LIMIT 0").execute().await();
    crowded = PgBuilder.pool().connectingTo(options().setUser(role)).using(vertx).build();
    Router router = Router.router(vertx);
    router.get("/down").handler(ctx -> down.query("SELECT 1").execute().onFailure(ctx::fail)
        .onSuccess(r -> ctx.end("up")));
    router.get("/crowded").handler(ctx -> crowded.query("SELECT 1").execute().onFailure(ctx::fail)
        .onSuccess(r -> ctx.end("up")));
    router.get("/wrong").handler(ctx -> healthy.query("SELECT no_such_column FROM pg_class").execute()
        .onFailure(ctx::fail).onSuccess(r -> ctx.end("?")));
    router.route().failureHandler(new FailureHandler());
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    this.role = role;
  }

  private String role;

  @AfterEach
  void stop() throws Exception {
    healthy.query("DROP ROLE IF EXISTS " + role).execute().await();
    vertx.close().await();
  }

  private static PgConnectOptions options() {
    return new PgConnectOptions().setHost("127.0.0.1").setPort(5432).setUser("postgres").setDatabase("postgres");
  }

  @Test
  void aDatabaseThatIsDownOrFullAnswers503WithRetryAfter() throws Exception {
    for (String path : new String[] {"/down", "/crowded"}) {
      HttpResponse<String> r = get(path);
      assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(503);
      assertThat(new JsonObject(r.body()).getString("error")).isEqualTo("database_unavailable");
      assertThat(r.headers().firstValue("Retry-After")).as(path).hasValue("5");
    }
  }

  @Test
  void aWrongStatementIsStillOurBug() throws Exception {
    HttpResponse<String> r = get("/wrong");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(500);
    assertThat(new JsonObject(r.body()).getString("error")).isEqualTo("internal_error");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
        .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
