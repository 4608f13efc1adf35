package io.slabtrack.cluster.access;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpMethod;
import java.util.List;
import org.junit.jupiter.api.Test;

class CanonicalPathTest {

  @Test
  void theOneSpellingOfAPathPasses() {
    for (String path : List.of("/", "/api/cards", "/api/cards/42", "/s/demo/cards/7", "/api/orders/Ab-9_x~Z",
        "/api/search/caf%C3%A9", "/api/x%20y")) {
      assertTrue(CanonicalPath.isCanonical(path), path);
    }
  }

  @Test
  void everyOtherSpellingIsRefused() {
    for (String path : List.of("/api/cards/", "/api/cards/.", "/api/cards//", "//api/cards", "/api/cards/%2e",
        "/api/cards/%2E", "/api/%2e%2e/cards", "/api/cards/..", "/api/./cards", "/api%2fcards", "/api%2Fcards",
        "/api/c%61rds", "/api/cards%5c", "/api\\cards", "/api/cards;x", "/api/cards%3b", "/api/cards%252e",
        "/api/cards%", "/api/cards%2", "/api/cards%zz", "api/cards", "")) {
      assertFalse(CanonicalPath.isCanonical(path), path);
    }
  }

  @Test
  void publicRoutesMatchWholeSegmentsMethodAndCase() {
    PublicRoutes open = PublicRoutes.of("GET /api/listings", "GET /api/listings/:id", "POST /api/play/flip",
        "GET /s/*");
    assertTrue(open.allows(HttpMethod.GET, "/api/listings"));
    assertTrue(open.allows(HttpMethod.GET, "/api/listings/9"));
    assertTrue(open.allows(HttpMethod.GET, "/s"));
    assertTrue(open.allows(HttpMethod.GET, "/s/demo/cards/1"));
    assertFalse(open.allows(HttpMethod.POST, "/api/listings"), "another method");
    assertFalse(open.allows(HttpMethod.GET, "/api/listings/9/edit"), "a longer path");
    assertFalse(open.allows(HttpMethod.GET, "/api/listingsX"), "a longer segment");
    assertFalse(open.allows(HttpMethod.GET, "/API/listings"), "another case");
    assertFalse(open.allows(HttpMethod.GET, "/api"), "a shorter path");
    assertFalse(open.allows(HttpMethod.GET, "/api/listings/"), "an empty parameter");
    assertFalse(open.allows(HttpMethod.GET, "/sx"), "a wildcard covers whole segments only");
    assertFalse(open.allows(HttpMethod.GET, "/api/play/flip"));
  }
}
