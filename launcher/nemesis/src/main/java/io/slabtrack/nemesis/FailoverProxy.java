package io.slabtrack.nemesis;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a load balancer in front of an app's nodes does for Stripe's webhooks: each delivery goes to one node, and to
 * the next one when that node does not answer or answers 5xx. (Stripe has one endpoint URL per app; without this,
 * a crashed node would take the app's webhooks with it until Stripe gave up.)
 */
public final class FailoverProxy implements AutoCloseable {
  private final HttpServer server;
  private final HttpClient client;

  private FailoverProxy(HttpServer server, HttpClient client) {
    this.server = server;
    this.client = client;
  }

  /** @param backends "host:port" of each node */
  public static FailoverProxy start(Vertx vertx, String bindHost, List<String> backends) {
    HttpClient client = vertx.createHttpClient();
    AtomicInteger next = new AtomicInteger();
    HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      int first = Math.floorMod(next.getAndIncrement(), backends.size());
      attempt(client, req, body, backends, first, 0).onComplete(ar -> {
        if (ar.failed()) {
          req.response().setStatusCode(503).end("no node answered: " + ar.cause().getMessage());
          return;
        }
        Answer a = ar.result();
        req.response().setStatusCode(a.status());
        a.headers().forEach((k, v) -> {
          if (!k.equalsIgnoreCase("content-length") && !k.equalsIgnoreCase("transfer-encoding")) {
            req.response().putHeader(k, v);
          }
        });
        req.response().end(a.body());
      });
    }));
    server.listen(0, bindHost).await();
    return new FailoverProxy(server, client);
  }

  private record Answer(int status, MultiMap headers, Buffer body) {
  }

  private static Future<Answer> attempt(HttpClient client, HttpServerRequest req, Buffer body, List<String> backends,
                                        int index, int tried) {
    String[] hp = backends.get((index + tried) % backends.size()).split(":");
    RequestOptions options = new RequestOptions().setMethod(req.method()).setHost(hp[0])
        .setPort(Integer.parseInt(hp[1])).setURI(req.uri()).setConnectTimeout(2000).setIdleTimeout(15_000)
        .setHeaders(MultiMap.caseInsensitiveMultiMap().addAll(req.headers()).remove("host"));
    Future<Answer> answer = client.request(options).compose(r -> r.send(body))
        .compose((HttpClientResponse r) -> r.body().map(b -> new Answer(r.statusCode(), r.headers(), b)));
    return answer.transform(ar -> {
      boolean good = ar.succeeded() && ar.result().status() < 500;
      if (good || tried + 1 >= backends.size()) {
        return ar.succeeded() ? Future.succeededFuture(ar.result()) : Future.failedFuture(ar.cause());
      }
      return attempt(client, req, body, backends, index, tried + 1);
    });
  }

  public int port() {
    return server.actualPort();
  }

  @Override
  public void close() {
    server.close().await();
    client.close().await();
  }
}
