package io.slabtrack.cluster.auth;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.http.FailureHandler;
import io.slabtrack.cluster.http.Responses;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A small "core" app: one route per guard, answering with what the guard put in the context. The server
 * accepts headers far larger than our 8 KiB token cap so that the cap under test is ours, not Netty's.
 */
final class AuthHttpFixture {
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  private final HttpServer server;

  private AuthHttpFixture(HttpServer server) {
    this.server = server;
  }

  static AuthHttpFixture start(Vertx vertx, TokenService tokens) {
    AuthHandlers auth = new AuthHandlers(tokens, AppName.CORE, false);
    AuthHandlers secureAuth = new AuthHandlers(tokens, AppName.CORE, true);
    Router router = Router.router(vertx);
    router.get("/me").handler(auth.session()).handler(AuthHttpFixture::echo);
    router.get("/operator").handler(auth.session(Role.OPERATOR)).handler(AuthHttpFixture::echo);
    router.get("/internal").handler(auth.service()).handler(AuthHttpFixture::echo);
    router.get("/either").handler(auth.serviceOrSession(Role.OPERATOR)).handler(AuthHttpFixture::echo);
    router.get("/secure/me").handler(secureAuth.session()).handler(AuthHttpFixture::echo);
    router.route().failureHandler(new FailureHandler());
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setMaxHeaderSize(64 * 1024))
        .requestHandler(router)
        .listen(0, "127.0.0.1")
        .await();
    return new AuthHttpFixture(server);
  }

  void stop() {
    server.close().await();
  }

  HttpResponse<String> get(String path, String... headerPairs) {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
        .timeout(Duration.ofSeconds(5)).GET();
    for (int i = 0; i < headerPairs.length; i += 2) {
      req.header(headerPairs[i], headerPairs[i + 1]);
    }
    try {
      return CLIENT.send(req.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  HttpResponse<String> bearer(String path, String token) {
    return get(path, "Authorization", "Bearer " + token);
  }

  private static void echo(RoutingContext ctx) {
    VerifiedToken t = AuthHandlers.principal(ctx);
    JsonArray roles = new JsonArray();
    t.roles().stream().sorted().forEach(r -> roles.add(r.claim()));
    Responses.ok(ctx, new JsonObject()
        .put("sub", t.subject())
        .put("typ", t.type().claim())
        .put("roles", roles)
        .put("viaCookie", AuthHandlers.authenticatedByCookie(ctx)));
  }
}
