package io.slabtrack.cluster.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP client whose connections leave from one loopback address (127.0.0.0/8 is all ours on Linux), so a test
 * can be several clients "at different addresses" over real TCP, as the apps see them. Redirects are not followed.
 */
public final class ClientAt implements AutoCloseable {
  public final String address;
  private final WebClient client;
  private ResponseContract contract;

  public ClientAt(Vertx vertx, String address) {
    this.address = address;
    this.client = WebClient.create(vertx, new WebClientOptions().setLocalAddress(address).setFollowRedirects(false)
        .setKeepAlive(false));
  }

  /** Checks every answer against {@code contract}'s response schemas from now on. */
  public ClientAt checkedAgainst(ResponseContract contract) {
    this.contract = contract;
    return this;
  }

  public record Resp(int status, MultiMap headers, String body) {
    public JsonObject json() {
      return new JsonObject(body);
    }

    public String error() {
      return json().getString("error");
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  public Resp post(String url, JsonObject body) throws Exception {
    return send(HttpMethod.POST, url, body, Map.of());
  }

  public Resp get(String url) throws Exception {
    return send(HttpMethod.GET, url, null, Map.of());
  }

  public Resp send(HttpMethod method, String url, JsonObject body, Map<String, String> headers) throws Exception {
    HttpRequest<Buffer> req = client.requestAbs(method, url);
    headers.forEach(req::putHeader);
    HttpResponse<Buffer> r = (body == null ? req.send() : req.sendJsonObject(body)).await(60, TimeUnit.SECONDS);
    if (contract != null) {
      Map<String, java.util.List<String>> answered = new java.util.HashMap<>();
      r.headers().names().forEach(n -> answered.put(n, r.headers().getAll(n)));
      contract.check(method.name(), url, r.statusCode(), answered, r.bodyAsString());
    }
    return new Resp(r.statusCode(), r.headers(), r.bodyAsString());
  }

  @Override
  public void close() {
    client.close();
  }
}
