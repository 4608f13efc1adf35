package io.slabtrack.cluster.auth.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.access.PublicRoutes;
import io.slabtrack.cluster.app.AppContext;
import io.slabtrack.cluster.app.AppModule;
import io.slabtrack.cluster.auth.Role;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.TestNode;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A satellite member below HZ_MIN_MEMBERS cannot record a used jti, so it must refuse the handoff (503, no
 * cookie) instead of accepting a token that the other side of a split might accept again.
 */
class HandoffBelowMinimumTest {

  @Test
  void aLoneMemberBelowTheMinimumRefusesHandoffs() throws Exception {
    AppModule tot = new AppModule() {
      @Override
      public AppName name() {
        return AppName.TOT;
      }

      @Override
      public String migrationsLocation() {
        return "classpath:db/none";
      }

      @Override
      public PublicRoutes publicRoutes() {
        return PublicRoutes.of("GET " + HandoffLanding.PATH);
      }

      @Override
      public void mountRoutes(Router router, AppContext ctx) {
        HandoffLanding.mount(router, ctx);
      }
    };
    try (TestNode node = TestNode.start(Map.of("HZ_MIN_MEMBERS", "2"), tot)) {
      String token = node.runtime(AppName.TOT).context().tokens().mintHandoff("u-1", "u1@example.test",
          Set.of(Role.BUYER), AppName.TOT, UUID.randomUUID().toString(), Duration.ofSeconds(60));
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(node.url(AppName.TOT,
          HandoffLanding.PATH + "?token=" + token))).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
      assertThat(new JsonObject(answer.body()).getString("error")).isEqualTo("handoff_unavailable");
      assertThat(answer.headers().firstValue("Set-Cookie")).isEmpty();
    }
  }
}
