package io.slabtrack.core.login;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.RateWindowRoom;
import io.slabtrack.cluster.testing.TestNode;
import io.slabtrack.core.CoreApp;
import io.slabtrack.core.testing.Browser;
import io.slabtrack.core.testing.Mailbox;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two core nodes on one core database: the per-email and per-address login limits, and the budget of wrong codes
 * per email, count requests to either node together, since the counters live in the shared database.
 */
@ExtendWith(RateWindowRoom.class)
class LoginLimitsAcrossNodesTest {

  @Test
  void limitsCountRequestsToEveryCoreNode() throws Exception {
    try (Mailbox mailbox = new Mailbox()) {
      Map<String, String> env = new HashMap<>(mailbox.env());
      env.put("LOGIN_LIMIT_PER_EMAIL", "2");
      env.put("LOGIN_LIMIT_PER_ADDRESS", "6");
      env.put("LOGIN_FAILED_VERIFY_LIMIT", "3");
      try (TestNode a = TestNode.start(env, new CoreApp())) {
        Map<String, String> sameDb = new HashMap<>(env);
        sameDb.put("CORE_DB", a.database(AppName.CORE).database());
        try (TestNode b = TestNode.start(sameDb, new CoreApp())) {
          Browser browser = new Browser();
          String[] starts = {a.url(AppName.CORE, "/api/auth/login/start"), b.url(AppName.CORE, "/api/auth/login/start")};
          assertThat(start(browser, starts[0], "same@example.test").statusCode()).isEqualTo(202);
          assertThat(start(browser, starts[1], "same@example.test").statusCode()).isEqualTo(202);
          HttpResponse<String> perEmail = start(browser, starts[0], "same@example.test");
          assertThat(perEmail.statusCode()).as("third code for one address, across nodes").isEqualTo(429);
          assertThat(perEmail.headers().firstValue("Retry-After")).isPresent();

          for (int i = 1; i <= 3; i++) {
            assertThat(start(browser, starts[i % 2], "n" + i + "@example.test").statusCode()).isEqualTo(202);
          }
          HttpResponse<String> perAddress = start(browser, starts[0], "n9@example.test");
          assertThat(perAddress.statusCode()).as("seventh request from one client, across nodes").isEqualTo(429);
          assertThat(Browser.json(perAddress).getString("error")).isEqualTo("rate_limited");

          mailbox.awaitCode("same@example.test", 2);
          for (int i = 1; i <= 3; i++) {
            mailbox.awaitCode("n" + i + "@example.test", 1);
          }
          assertThat(mailbox.to("n9@example.test")).isEmpty();

          // wrong codes: LOGIN_FAILED_VERIFY_LIMIT=3 counted across both nodes, whichever code they were meant for
          String[] verifies = {a.url(AppName.CORE, "/api/auth/login/verify"),
              b.url(AppName.CORE, "/api/auth/login/verify")};
          String code = mailbox.awaitCode("same@example.test", 2);
          String wrong = String.format("%06d", (Integer.parseInt(code) + 1) % 1_000_000);
          for (int i = 0; i < 3; i++) {
            assertThat(verify(browser, verifies[i % 2], "same@example.test", wrong).statusCode()).isEqualTo(401);
          }
          HttpResponse<String> guessed = verify(browser, verifies[1], "same@example.test", code);
          assertThat(guessed.statusCode()).as("fourth verify, right code, the other node").isEqualTo(429);
          assertThat(guessed.headers().firstValue("Retry-After")).isPresent();
        }
      }
    }
  }

  private static HttpResponse<String> start(Browser b, String url, String email) throws Exception {
    return b.post(url, new JsonObject().put("email", email));
  }

  private static HttpResponse<String> verify(Browser b, String url, String email, String code) throws Exception {
    return b.post(url, new JsonObject().put("email", email).put("code", code));
  }
}
