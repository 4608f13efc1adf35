package io.slabtrack.tot.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabtrack.cluster.testing.RouteWalk;
import io.slabtrack.tot.TotApp;
import io.slabtrack.tot.TotFixture;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every route registered on ToT's router, walked without a token on every spelling: only the public list opens. */
class DenyByDefaultTest {
  private static TotFixture tot;

  @BeforeAll
  static void start() throws Exception {
    tot = TotFixture.start();
  }

  @AfterAll
  static void stop() throws Exception {
    tot.close();
  }

  @Test
  void everyRegisteredRouteRefusesAnonymousRequestsOnEverySpelling() throws Exception {
    RouteWalk.Result walk = RouteWalk.walk(tot.node, new TotApp());
    List<String> walked = walk.routes().stream().map(p -> p.method() + " " + p.path()).toList();
    assertTrue(walked.contains("GET /api/admin/orders") && walked.contains("POST /api/webhook/ingest")
        && walked.contains("GET /api/outbox") && walked.contains("GET /api/listings"), "routes walked: " + walked);
    assertEquals(List.of(), walk.breaches(), walk.breaches().size() + " breaches of deny-by-default");
  }

  @Test
  void publicRoutesStayOpenAndAdminRoutesNeedTheirRole() throws Exception {
    assertEquals(200, tot.call("GET", "/api/listings", null, null).status());
    assertEquals(401, tot.call("GET", "/api/admin/orders", null, null).status());
    assertEquals(404, tot.call("GET", "/api/admin/orders/", null, tot.operator).status());
    assertEquals(200, tot.call("GET", "/api/admin/orders", null, tot.operator).status());
    // a service token passes the gate (it is a credential), but the admin route still wants an operator session
    assertEquals(401, tot.call("GET", "/api/admin/orders", null, tot.service).status());
    assertEquals(403, tot.call("GET", "/api/admin/orders", null,
        io.slabtrack.cluster.testing.TestTokens.buyer(io.slabtrack.cluster.testing.TestNode.SECRET,
            io.slabtrack.cluster.config.AppName.TOT)).status());
  }
}
