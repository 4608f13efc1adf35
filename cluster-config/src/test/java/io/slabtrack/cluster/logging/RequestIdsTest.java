package io.slabtrack.cluster.logging;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every answer carries the request's id, which is what its handlers log; a caller's id is kept only when sane. */
class RequestIdsTest {
  private Vertx vertx;
  private WebClient client;
  private int port;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router.route().handler(new RequestIds());
    // an async hop before answering: the id must still be there, as for a handler that queried the database
    router.get("/id").handler(ctx -> vertx.timer(5).onComplete(t -> ctx.response()
        .end(Correlation.get(Correlation.REQUEST_ID).orElse("none"))));
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    port = server.actualPort();
    client = WebClient.create(vertx);
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  private HttpResponse<Buffer> get(String requestId) {
    var req = client.get(port, "127.0.0.1", "/id");
    if (requestId != null) {
      req.putHeader("X-Request-Id", requestId);
    }
    return req.send().await();
  }

  @Test
  void aNewIdPerRequestInTheHeaderAndTheLogs() {
    HttpResponse<Buffer> a = get(null);
    HttpResponse<Buffer> b = get(null);
    assertThat(a.getHeader("X-Request-Id")).matches("[0-9a-f-]{36}").isEqualTo(a.bodyAsString());
    assertThat(b.getHeader("X-Request-Id")).isNotEqualTo(a.getHeader("X-Request-Id")).isEqualTo(b.bodyAsString());
  }

  @Test
  void aWellFormedIncomingIdIsKeptAndAnythingElseReplaced() {
    HttpResponse<Buffer> kept = get("proxy-7f3a9c21.abc");
    assertThat(kept.getHeader("X-Request-Id")).isEqualTo("proxy-7f3a9c21.abc").isEqualTo(kept.bodyAsString());
    for (String bad : new String[] {"short", "a\"b=c injected", "x".repeat(65), "{\"json\":1}"}) {
      HttpResponse<Buffer> replaced = get(bad);
      assertThat(replaced.getHeader("X-Request-Id")).as(bad).isNotEqualTo(bad).matches("[0-9a-f-]{36}")
          .isEqualTo(replaced.bodyAsString());
    }
  }
}
