package io.slabtrack.cluster.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.BareModule;
import io.slabtrack.cluster.testing.TestNode;
import io.slabtrack.cluster.testing.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /metrics} is never public: anonymous and wrong credentials get 401, a buyer's session 403; an
 * operator's session, an app's service token and a scrape token for this app get the Prometheus text. A scrape
 * token opens nothing else.
 */
class MetricsAccessTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(new BareModule(AppName.CORE), new BareModule(AppName.TOT));
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  private static HttpResponse<String> get(AppName app, String path, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.url(app, path)));
    if (token != null) {
      request.header("Authorization", TestTokens.bearer(token));
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String scrapeToken(AppName... apps) {
    return TestTokens.tokens(TestNode.SECRET).mintMetrics("prometheus", List.of(apps), Duration.ofDays(1));
  }

  @Test
  void anonymousGets401AndNoFigures() throws Exception {
    HttpResponse<String> r = get(AppName.CORE, "/metrics", null);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    assertThat(r.body()).doesNotContain("slabtrack_");
  }

  @Test
  void badOrForeignCredentialsAreRefused() throws Exception {
    assertThat(get(AppName.CORE, "/metrics", "not-a-token").statusCode()).isEqualTo(401);
    assertThat(get(AppName.CORE, "/metrics", TestTokens.buyer(TestNode.SECRET, AppName.CORE)).statusCode())
        .isEqualTo(403);
    // a scrape token for ToT only is not one for core
    assertThat(get(AppName.CORE, "/metrics", scrapeToken(AppName.TOT)).statusCode()).isEqualTo(401);
    assertThat(get(AppName.TOT, "/metrics", scrapeToken(AppName.TOT)).statusCode()).isEqualTo(200);
    // signed with another secret
    String forged = TestTokens.tokens("another-secret-another-secret-another-secret!")
        .mintMetrics("prometheus", List.of(AppName.CORE), Duration.ofDays(1));
    assertThat(get(AppName.CORE, "/metrics", forged).statusCode()).isEqualTo(401);
  }

  @Test
  void operatorServiceAndScrapeTokensReadPrometheusText() throws Exception {
    for (String token : List.of(TestTokens.operator(TestNode.SECRET, AppName.CORE),
        TestTokens.service(TestNode.SECRET, AppName.TOT, AppName.CORE), scrapeToken(AppName.values()))) {
      HttpResponse<String> r = get(AppName.CORE, "/metrics", token);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
      // Vert.x's own meters, the JVM's and ours, each app tagged
      assertThat(r.body()).contains("vertx_http_server_active_connections", "vertx_eventbus_handlers",
          "vertx_pool_in_use", "jvm_memory_used_bytes",
          "slabtrack_outbox_pending{app=\"core\"}", "slabtrack_outbox_pending{app=\"tot\"}",
          "slabtrack_cluster_members{app=\"core\"} 1.0", "slabtrack_jwt_keys_agree{app=\"core\"} 1.0");
      // no unbounded labels: Vert.x's path and remote address labels stay off
      assertThat(r.body()).doesNotContain("path=\"", "remote=\"");
    }
  }

  @Test
  void aScrapeTokenOpensNothingElse() throws Exception {
    String scrape = scrapeToken(AppName.values());
    assertThat(get(AppName.CORE, "/api/outbox", scrape).statusCode()).isEqualTo(401);
    assertThat(get(AppName.CORE, "/api/sale-locks", scrape).statusCode()).isEqualTo(401);
    // /ready answers its anonymous outline, never the details
    HttpResponse<String> ready = get(AppName.CORE, "/ready", scrape);
    assertThat(ready.body()).doesNotContain("memberAddresses");
  }
}
