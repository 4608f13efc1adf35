package io.slabtrack.cluster.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.model.Account;
import io.slabtrack.cluster.config.AppName;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway keeps its connections to Stripe: waves of concurrent calls reuse the connections the first wave
 * opened. stripe-java's default transport kept at most 5 idle per host, so every wave beyond that opened (and
 * closed) a connection per call — a TLS handshake each against the real Stripe, a TIME_WAIT socket each here.
 */
class StripeConnectionReuseTest {
  private static final int IN_FLIGHT = 20;
  private static final int WAVES = 4;

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void wavesOfConcurrentCallsReuseTheFirstWavesConnections() {
    AtomicInteger connections = new AtomicInteger();
    AtomicInteger requests = new AtomicInteger();
    // a Stripe that answers every account read after 100 ms, counting the connections it accepts
    HttpServer stripe = vertx.createHttpServer()
        .connectionHandler(c -> connections.incrementAndGet())
        .requestHandler(req -> {
          requests.incrementAndGet();
          String id = req.path().substring(req.path().lastIndexOf('/') + 1);
          vertx.setTimer(100, t -> req.response().putHeader("Content-Type", "application/json")
              .end(new JsonObject().put("id", id).put("object", "account").encode()));
        })
        .listen(0, "127.0.0.1").await();
    StripeGateway gateway = new StripeGateway(vertx,
        StripeSettings.forSimulator("http://127.0.0.1:" + stripe.actualPort()), AppName.STOREFRONT);

    for (int wave = 0; wave < WAVES; wave++) {
      List<Future<Account>> calls = new ArrayList<>();
      for (int i = 0; i < IN_FLIGHT; i++) {
        calls.add(gateway.retrieveAccount("acct_" + wave + "_" + i));
      }
      Future.all(calls).await();
      assertThat(calls.get(IN_FLIGHT - 1).result().getId()).isEqualTo("acct_" + wave + "_" + (IN_FLIGHT - 1));
    }

    assertThat(requests.get()).isEqualTo(IN_FLIGHT * WAVES);
    // at most one connection per call of a wave, opened once (not one per call: 80)
    assertThat(connections.get()).isLessThanOrEqualTo(IN_FLIGHT);
  }
}
