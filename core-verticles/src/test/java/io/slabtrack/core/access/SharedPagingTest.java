package io.slabtrack.core.access;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.ApiRefusals;
import io.slabtrack.core.CoreFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Core's card list takes the same limit as ToT's and Storefront's lists (their RequestValidationTest). */
class SharedPagingTest {
  @RegisterExtension
  static final CoreFixture core = CoreFixture.perClass();

  @Test
  void theCardListTakesTheSharedLimit() throws Exception {
    ApiRefusals.assertSharedLimit(core.node, AppName.CORE, "/api/cards", core.operator);
  }
}
