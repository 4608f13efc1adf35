package io.slabtrack.core.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.ApiDocsCheck;
import io.slabtrack.core.CoreFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Core's document is the operator API contract (OperatorApi refuses to start with an operation it can't route), and
 * /docs explores it. Core's login, user admin, handoff, claim and shared routes are outside that contract, so only the
 * document-to-router direction is asserted here, plus that every operator route of the router is in the document.
 */
class ApiDocsTest {
  @RegisterExtension
  static final CoreFixture core = CoreFixture.perClass();

  @Test
  void everyDocumentedOperationIsRoutedAndEveryOperatorApiRouteDocumented() throws Exception {
    ApiDocsCheck.Result r = ApiDocsCheck.check(core.node, AppName.CORE);
    assertThat(r.unrouted()).as("documented operations no route answers").isEmpty();
    assertThat(r.undocumented()).as("operator API routes missing from the document")
        .allMatch(route -> route.contains(" /api/auth/") || route.contains(" /api/webhooks/")
            || route.contains(" /api/outbox") || route.contains(" /api/sale-locks") || route.contains(" /api/cluster/")
            || route.contains(" /api/users"));
  }

  @Test
  void theExplorerIsPublicAndServedFromTheAppItself() throws Exception {
    assertThat(ApiDocsCheck.docsPageProblems(core.node, AppName.CORE)).isEmpty();
  }
}
