package io.slabtrack.core.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.core.CoreFixture;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Moved from core's ApiDocsTest: it reads the satellites' documents from their jars, which only this module has on
 * its class path next to core's OpenAPI checker.
 */
class SatelliteApiDocsTest {
  @RegisterExtension
  static final CoreFixture core = CoreFixture.perClass();

  /** The satellites' documents are written by hand: each must be a valid OpenAPI 3.1 contract (vertx-openapi checks). */
  @Test
  void theSatelliteDocumentsAreValidOpenApi() throws Exception {
    for (String resource : java.util.List.of("openapi/tot.json", "openapi/storefront.json")) {
      JsonObject doc = new JsonObject(io.slabtrack.cluster.web.ApiDocs.readDocument(SatelliteApiDocsTest.class, resource));
      OpenAPIContract contract = OpenAPIContract.from(core.node.vertx(), doc).await(30, TimeUnit.SECONDS);
      assertThat(contract.operations()).as(resource).hasSizeGreaterThan(20);
    }
  }
}
