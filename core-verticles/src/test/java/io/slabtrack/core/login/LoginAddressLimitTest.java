package io.slabtrack.core.login;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.TestNode;
import io.slabtrack.core.CoreApp;
import io.slabtrack.core.testing.Browser;
import io.slabtrack.core.testing.Mailbox;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One client address asking codes for many addresses is throttled too (its own node: the limit is per address). */
class LoginAddressLimitTest {

  @Test
  void manyAddressesFromOneClientAre429() throws Exception {
    try (Mailbox mailbox = new Mailbox()) {
      Map<String, String> env = new HashMap<>(mailbox.env());
      env.put("LOGIN_LIMIT_PER_ADDRESS", "3");
      try (TestNode node = TestNode.start(env, new CoreApp())) {
        Browser b = new Browser();
        String url = node.url(AppName.CORE, "/api/auth/login/start");
        for (int i = 0; i < 3; i++) {
          assertThat(b.post(url, new JsonObject().put("email", "n" + i + "@example.test")).statusCode())
              .isEqualTo(202);
        }
        HttpResponse<String> limited = b.post(url, new JsonObject().put("email", "n9@example.test"));
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();
        assertThat(Browser.json(limited).getString("error")).isEqualTo("rate_limited");
        for (int i = 0; i < 3; i++) {
          mailbox.awaitCode("n" + i + "@example.test", 1);
        }
        assertThat(mailbox.to("n9@example.test")).isEmpty();
      }
    }
  }
}
