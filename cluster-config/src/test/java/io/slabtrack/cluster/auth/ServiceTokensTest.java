package io.slabtrack.cluster.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slabtrack.cluster.config.AppName;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Core's service tokens for the satellites: right claims, accepted only by the receiver, renewed at half-life. */
class ServiceTokensTest {
  private static Vertx vertx;
  private static TokenService tokens;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    tokens = new TokenService(vertx, JwtKeys.of(JwtKeysTest.CURRENT, Optional.empty()));
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @Test
  void mintsShortServiceTokensForTheReceiverOnly() throws Exception {
    ServiceTokens core = new ServiceTokens(tokens, AppName.CORE);
    String token = core.bearerFor(AppName.TOT);
    VerifiedToken verified = tokens.verify(token, TokenType.SERVICE, Optional.of(AppName.TOT))
        .await(5, TimeUnit.SECONDS);
    assertThat(verified.issuerApp()).isEqualTo("core");
    assertThat(verified.expiresAt()).isBefore(Instant.now().plus(Duration.ofMinutes(6)));
    assertThatThrownBy(() -> tokens.verify(token, TokenType.SERVICE, Optional.of(AppName.STOREFRONT))
        .await(5, TimeUnit.SECONDS)).hasMessageContaining("not meant for this app");
    assertThatThrownBy(() -> tokens.verify(token, TokenType.SESSION, Optional.empty()).await(5, TimeUnit.SECONDS))
        .isInstanceOf(io.slabtrack.cluster.http.ApiException.class);
    assertThatThrownBy(() -> core.bearerFor(AppName.CORE)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void reusesATokenUntilHalfItsLifeIsGone() {
    AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2030-01-01T00:00:00Z"));
    Clock clock = new Clock() {
      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now.get();
      }
    };
    ServiceTokens core = new ServiceTokens(tokens, AppName.CORE, clock);
    String first = core.bearerFor(AppName.STOREFRONT);
    now.set(now.get().plusSeconds(100));
    assertThat(core.bearerFor(AppName.STOREFRONT)).isSameAs(first);
    assertThat(core.bearerFor(AppName.TOT)).isNotEqualTo(first);
    now.set(now.get().plusSeconds(100));
    assertThat(core.bearerFor(AppName.STOREFRONT)).isNotSameAs(first);
  }
}
