package io.slabtrack.launcher.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code bridge-token} prints a service token for the bridge's audience with the scopes asked, or refuses. */
class BridgeTokenCommandTest {
  private record Run(int code, String out, String err) {
  }

  private static Run run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    System.setOut(new PrintStream(o, true));
    System.setErr(new PrintStream(e, true));
    try {
      int code = new CommandLine(new BridgeTokenCommand()).execute(args);
      return new Run(code, o.toString().trim(), e.toString());
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void aTokenForTheBridgeWithTheScopesAsked() {
    Run r = run("--name", "pricing-bot", "--scope", "cards:read", "--days", "7");
    assertThat(r.code()).as(r.err()).isZero();
    JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(r.out().split("\\.")[1]),
        StandardCharsets.UTF_8));
    assertThat(claims.getString("sub")).isEqualTo("client:pricing-bot");
    assertThat(claims.getValue("aud").toString()).contains("bridge");
    assertThat(claims.getString("typ")).isEqualTo("service");
    assertThat(claims.getJsonArray("scopes")).isEqualTo(new JsonArray().add("cards:read"));
    assertThat(claims.getLong("exp") - claims.getLong("iat")).isEqualTo(7L * 24 * 3600);
  }

  @Test
  void anUnknownScopeOrABadNameOrLifetimeIsRefusedWithNoToken() {
    Run scope = run("--name", "bot", "--scope", "core.sale.claim");
    assertThat(scope.code()).isEqualTo(2);
    assertThat(scope.out()).isEmpty();
    assertThat(scope.err()).contains("unknown scope core.sale.claim");
    Run name = run("--name", "Bad Name");
    assertThat(name.code()).isEqualTo(2);
    assertThat(name.out()).isEmpty();
    assertThat(run("--name", "bot", "--days", "0").code()).isEqualTo(2);
  }
}
