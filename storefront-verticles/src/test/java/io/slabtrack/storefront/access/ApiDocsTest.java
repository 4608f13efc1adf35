package io.slabtrack.storefront.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.ApiDocsCheck;
import io.slabtrack.storefront.StorefrontFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The served OpenAPI document matches the router both ways, and /docs explores it with local assets only. */
class ApiDocsTest {
  @RegisterExtension
  static final StorefrontFixture app = StorefrontFixture.perClass();

  @Test
  void everyApiRouteIsDocumentedAndEveryDocumentedOperationIsRouted() throws Exception {
    ApiDocsCheck.Result r = ApiDocsCheck.check(app.node, AppName.STOREFRONT);
    assertThat(r.routed()).as("routes read from the router").hasSizeGreaterThan(20);
    assertThat(r.undocumented()).as("/api routes missing from the document").isEmpty();
    assertThat(r.unrouted()).as("documented operations no route answers").isEmpty();
  }

  @Test
  void theExplorerIsPublicAndServedFromTheAppItself() throws Exception {
    assertThat(ApiDocsCheck.docsPageProblems(app.node, AppName.STOREFRONT)).isEmpty();
  }
}
