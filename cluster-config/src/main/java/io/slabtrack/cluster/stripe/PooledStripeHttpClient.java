package io.slabtrack.cluster.stripe;

import com.stripe.exception.ApiConnectionException;
import com.stripe.net.HttpHeaders;
import com.stripe.net.StripeRequest;
import com.stripe.net.StripeResponse;
import com.stripe.net.StripeResponseStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * stripe-java's transport on the JDK's {@link HttpClient}, which keeps every idle connection to Stripe for reuse.
 * stripe-java's default ({@code HttpURLConnectionClient}) keeps at most {@code http.maxConnections} (5) idle
 * connections per host, JVM-wide: with ~90 calls in flight (300 a second at 300 ms) nearly every call opened a new
 * connection (a TLS handshake against the real Stripe) and closed it after, leaving a socket in TIME_WAIT each — at
 * 300 calls a second the client's ephemeral ports run out in about a minute and a half.
 *
 * <p>Blocking, as stripe-java's interface is: it runs on the gateway's own threads ({@link StripeCallPool}). Headers,
 * body and errors as stripe-java's own client sends and maps them (an I/O failure or a timeout is an
 * {@link ApiConnectionException}, which stripe-java retries with the same idempotency key).
 */
final class PooledStripeHttpClient extends com.stripe.net.HttpClient {
  private final HttpClient http;

  PooledStripeHttpClient(Duration connectTimeout) {
    // HTTP/1.1: a connection per call in flight, each kept for the next call (the simulator speaks plain HTTP/1.1)
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  @Override
  public StripeResponse request(StripeRequest request) throws ApiConnectionException {
    HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    return new StripeResponse(response.statusCode(), HttpHeaders.of(response.headers().map()), response.body());
  }

  @Override
  public StripeResponseStream requestStream(StripeRequest request) throws ApiConnectionException {
    HttpResponse<InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream());
    return new StripeResponseStream(response.statusCode(), HttpHeaders.of(response.headers().map()),
        response.body());
  }

  private <T> HttpResponse<T> send(StripeRequest request, HttpResponse.BodyHandler<T> body)
      throws ApiConnectionException {
    try {
      return http.send(build(request), body);
    } catch (IOException e) {
      throw new ApiConnectionException("IOException during API request to Stripe (" + request.url() + "): "
          + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiConnectionException("Interrupted during API request to Stripe (" + request.url() + ")", e);
    }
  }

  private static HttpRequest build(StripeRequest request) throws ApiConnectionException {
    HttpRequest.Builder b;
    try {
      b = HttpRequest.newBuilder(request.url().toURI());
    } catch (URISyntaxException e) {
      throw new ApiConnectionException("Invalid Stripe URL " + request.url(), e);
    }
    Integer readTimeout = request.options().getReadTimeout();
    if (readTimeout != null && readTimeout > 0) {
      b.timeout(Duration.ofMillis(readTimeout));
    }
    HttpHeaders headers = request.headers().withAdditionalHeaders(Map.of(
        "User-Agent", List.of(buildUserAgentString(request)),
        "X-Stripe-Client-User-Agent", List.of(buildXStripeClientUserAgentString())));
    headers.map().forEach((name, values) -> b.setHeader(name, String.join(",", values)));
    if (request.content() == null) {
      b.method(request.method().name(), HttpRequest.BodyPublishers.noBody());
    } else {
      b.setHeader("Content-Type", request.content().contentType());
      b.method(request.method().name(), HttpRequest.BodyPublishers.ofByteArray(request.content().byteArrayContent()));
    }
    return b.build();
  }
}
