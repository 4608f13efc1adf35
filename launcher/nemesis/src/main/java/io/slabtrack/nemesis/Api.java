package io.slabtrack.nemesis;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** Blocking HTTP/1.1 calls with a deadline; every failure to get an answer is an {@link Answer} with status -1. */
public final class Api {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(3)).build();

  private Api() {
  }

  public record Answer(int status, String body, long millis) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }

    /** No answer at all (timeout, refused, reset): the request may or may not have taken effect. */
    public boolean unknown() {
      return status < 0;
    }

    public JsonObject json() {
      try {
        return body != null && body.startsWith("{") ? new JsonObject(body) : new JsonObject();
      } catch (RuntimeException e) {
        return new JsonObject();
      }
    }

    /** The API error code, or the status / exception, for the history. */
    public String reason() {
      if (status < 0) {
        return body;
      }
      String code = json().getString("code", json().getString("error"));
      return status + (code == null ? "" : " " + code);
    }
  }

  public static Answer call(String method, String url, String bearer, String body, Duration timeout) {
    long start = System.nanoTime();
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    try {
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.body(), (System.nanoTime() - start) / 1_000_000);
    } catch (HttpTimeoutException e) {
      return new Answer(-1, "timeout after " + timeout.toSeconds() + "s", (System.nanoTime() - start) / 1_000_000);
    } catch (IOException e) {
      return new Answer(-1, e.getClass().getSimpleName() + ": " + e.getMessage(),
          (System.nanoTime() - start) / 1_000_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(-1, "interrupted", (System.nanoTime() - start) / 1_000_000);
    }
  }
}
