package io.slabtrack.tot.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.ApiDocsCheck;
import io.slabtrack.tot.TotFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The served OpenAPI document matches the router both ways, and /docs explores it with local assets only. */
class ApiDocsTest {
  private static TotFixture app;

  @BeforeAll
  static void start() throws Exception {
    app = TotFixture.start();
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
  }

  @Test
  void everyApiRouteIsDocumentedAndEveryDocumentedOperationIsRouted() throws Exception {
    ApiDocsCheck.Result r = ApiDocsCheck.check(app.node, AppName.TOT);
    assertThat(r.routed()).as("routes read from the router").hasSizeGreaterThan(20);
    assertThat(r.undocumented()).as("/api routes missing from the document").isEmpty();
    assertThat(r.unrouted()).as("documented operations no route answers").isEmpty();
  }

  @Test
  void theExplorerIsPublicAndServedFromTheAppItself() throws Exception {
    assertThat(ApiDocsCheck.docsPageProblems(app.node, AppName.TOT)).isEmpty();
  }
}
