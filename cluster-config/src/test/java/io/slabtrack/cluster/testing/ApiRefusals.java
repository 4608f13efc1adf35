package io.slabtrack.cluster.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.validation.Paging;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The one 400 every app gives for a malformed request (API-CONVENTIONS.md): {@code invalid_field}, a sentence, and
 * {@code details.field} naming the input; and the one paging rule ({@link Paging}) every app's paged list obeys. Each
 * app's tests run these same checks against its own routes, so "identical in every app" is tested, not hoped.
 */
public final class ApiRefusals {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private ApiRefusals() {
  }

  /** A status and body from one of the node's apps. */
  public record Answer(int status, String body) {
    public JsonObject json() {
      return new JsonObject(body);
    }
  }

  public static Answer send(TestNode node, AppName app, String method, String path, String json, String token)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.url(app, path))).timeout(Duration.ofSeconds(30));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (json != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body());
  }

  /** The shared 400 shape, naming {@code field}; returns the message. */
  public static String assertInvalidField(Answer answer, String field) {
    assertThat(answer.status()).as(answer.body()).isEqualTo(400);
    JsonObject body = answer.json();
    assertThat(body.getString("error")).as(answer.body()).isEqualTo("invalid_field");
    assertThat(body.getString("message")).as(answer.body()).isNotBlank();
    assertThat(body.getJsonObject("details").getString("field")).as(answer.body()).isEqualTo(field);
    return body.getString("message");
  }

  /**
   * {@code listPath} pages by the shared rule: limit 1–{@value Paging#MAX_LIMIT} and offset 0–{@value Paging#MAX_OFFSET}
   * accepted at both ends, one past either end and non-integers refused with the shared 400 naming the parameter.
   */
  public static void assertSharedPaging(TestNode node, AppName app, String listPath, String token) throws Exception {
    assertSharedLimit(node, app, listPath, token);
    check(node, app, listPath, token, new String[] {"offset=0", "offset=" + Paging.MAX_OFFSET},
        new String[][] {{"offset=-1", "offset"}, {"offset=" + (Paging.MAX_OFFSET + 1), "offset"},
            {"offset=2.5", "offset"}});
  }

  /** The shared limit alone, for a list paged by a cursor instead of an offset (core's cards). */
  public static void assertSharedLimit(TestNode node, AppName app, String listPath, String token) throws Exception {
    check(node, app, listPath, token, new String[] {"limit=1", "limit=" + Paging.MAX_LIMIT},
        new String[][] {{"limit=0", "limit"}, {"limit=" + (Paging.MAX_LIMIT + 1), "limit"}, {"limit=ten", "limit"}});
  }

  private static void check(TestNode node, AppName app, String listPath, String token, String[] good, String[][] bad)
      throws Exception {
    String sep = listPath.contains("?") ? "&" : "?";
    for (String ok : good) {
      Answer a = send(node, app, "GET", listPath + sep + ok, null, token);
      assertThat(a.status()).as(app.id() + " " + ok + ": " + a.body()).isEqualTo(200);
    }
    for (String[] c : bad) {
      assertInvalidField(send(node, app, "GET", listPath + sep + c[0], null, token), c[1]);
    }
  }
}
