package io.slabtrack.launcher.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slabtrack.cluster.auth.TokenType;
import io.slabtrack.cluster.auth.VerifiedToken;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.TestTokens;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code metrics-token} prints a scrape token: type metrics, for the apps asked, signed with the cluster's key. */
class MetricsTokenCommandTest {

  private static String run(String... args) {
    StringWriter out = new StringWriter();
    java.io.PrintStream saved = System.out;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setOut(new java.io.PrintStream(captured, true));
    try {
      int code = new CommandLine(new MetricsTokenCommand()).setErr(new PrintWriter(out)).execute(args);
      assertThat(code).as(out.toString()).isZero();
    } finally {
      System.setOut(saved);
    }
    return captured.toString().trim();
  }

  private static VerifiedToken verify(String token, AppName app) throws Exception {
    // the test JVM has no JWT_SECRET: the command signs with the dev secret, as dev mode does
    return TestTokens.tokens(TestTokens.DEV_SECRET).verify(token, TokenType.METRICS, Optional.of(app))
        .await(10, TimeUnit.SECONDS);
  }

  @Test
  void aScrapeTokenForTheAppsAskedForTheDaysAsked() throws Exception {
    String token = run("--app", "core,tot", "--days", "30");
    VerifiedToken verified = verify(token, AppName.TOT);
    assertThat(verified.subject()).isEqualTo("metrics:prometheus");
    assertThat(verified.audience()).containsExactly("core", "tot");
    assertThat(verified.expiresAt()).isBetween(Instant.now().plus(Duration.ofDays(30)).minusSeconds(60),
        Instant.now().plus(Duration.ofDays(30)).plusSeconds(60));
    assertThatThrownBy(() -> verify(token, AppName.STOREFRONT)).hasMessageContaining("not meant for this app");
    // a metrics token is no service token
    assertThatThrownBy(() -> TestTokens.tokens(TestTokens.DEV_SECRET)
        .verify(token, TokenType.SERVICE, Optional.of(AppName.CORE)).await(10, TimeUnit.SECONDS))
        .hasMessageContaining("does not accept metrics tokens");
  }

  @Test
  void allThreeAppsByDefault() throws Exception {
    assertThat(verify(run(), AppName.STOREFRONT).audience()).containsExactlyInAnyOrder("core", "tot", "storefront");
  }

  @Test
  void aBadLifetimeIsRefused() {
    assertThat(new CommandLine(new MetricsTokenCommand()).execute("--days", "0")).isEqualTo(2);
  }
}
