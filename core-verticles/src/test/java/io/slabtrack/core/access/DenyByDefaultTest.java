package io.slabtrack.core.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabtrack.cluster.auth.Role;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.RouteWalk;
import io.slabtrack.cluster.testing.TestNode;
import io.slabtrack.cluster.testing.TestTokens;
import io.slabtrack.core.CoreApp;
import io.slabtrack.core.CoreFixture;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Core's operator API answered anonymous requests on other spellings of its paths ({@code /api/cards/},
 * {@code /api/cards/%2e}...) and let anyone engage any card at any price through {@code POST /api/channels/commit/}.
 * Every route registered on core's router is walked without a token, on every spelling.
 */
class DenyByDefaultTest {
  @RegisterExtension
  static final CoreFixture core = CoreFixture.perClass();

  @Test
  void everyRegisteredRouteRefusesAnonymousRequestsOnEverySpelling() throws Exception {
    RouteWalk.Result walk = RouteWalk.walk(core.node, new CoreApp());
    // the OpenAPI operations are on a sub-router: the walk must have found them, not just the top-level routes
    List<String> walked = walk.routes().stream().map(p -> p.method() + " " + p.path()).toList();
    assertTrue(walked.contains("GET /api/cards") && walked.contains("POST /api/channels/commit")
        && walked.contains("GET /api/reconciler/runs"), "routes walked: " + walked);
    assertTrue(walk.requests() > 500, "requests sent: " + walk.requests());
    assertEquals(List.of(), walk.breaches(), walk.breaches().size() + " breaches of deny-by-default");
  }

  @Test
  void theSpellingsFromTheReportAnswerNotFoundAndTheCanonicalOneNeedsAnOperator() throws Exception {
    for (String path : List.of("/api/cards/", "/api/cards/.", "/api/cards//", "/api/cards/%2e", "/api/orders/",
        "/api/bridge/", "/api/reconciler/runs/", "/api/channels/")) {
      assertEquals(404, rawGet(path), path);
    }
    assertEquals(401, core.call("GET", "/api/cards", null, null).status());
    assertEquals(200, core.call("GET", "/api/cards", null, core.operator).status());
    String vendor = TestTokens.session(TestNode.SECRET, "vendor-1", Role.VENDOR);
    // vendors see their own cards (VendorAccessTest); the rest of the operator API stays closed to them
    assertEquals(403, core.call("GET", "/api/bridge", null, vendor).status());
    assertEquals(403, core.call("GET", "/api/no-such-route", null, vendor).status(), "an unknown /api path is still operator-only");
  }

  @Test
  void anAnonymousCommitWithATrailingSlashEngagesNothing() throws Exception {
    long cardId = core.createCard(CoreFixture.card("Mickey Mantle", 650_000)).getLong("id");
    String commit = "[{\"cardId\":" + cardId + ",\"channel\":\"thisorthat\"}]";
    for (String path : List.of("/api/channels/commit/", "/api/channels/commit", "/api/channels//commit",
        "/api/channels/commit/.", "/api/Channels/commit")) {
      int status = core.call("POST", path, commit, null).status();
      assertTrue(status == 401 || status == 404, path + " answered " + status);
    }
    String engaged = "SELECT count(*) FROM card_channels WHERE card_id = $1 AND channel = 'thisorthat'";
    assertEquals(0, core.node.count(AppName.CORE, engaged, cardId));
    // the same body is a real commit for an operator: the anonymous attempts were refused, not malformed
    assertEquals(200, core.call("POST", "/api/channels/commit", commit, core.operator).status());
    assertEquals(1, core.node.count(AppName.CORE, engaged, cardId));
  }

  /** A request line sent byte for byte, so no client library normalizes the path first. */
  private static int rawGet(String path) throws Exception {
    int port = core.node.httpPort(AppName.CORE);
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
      return Integer.parseInt(status.substring(9, 12));
    }
  }
}
