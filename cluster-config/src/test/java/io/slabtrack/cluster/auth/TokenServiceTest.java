package io.slabtrack.cluster.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** TokenService on its own: what minted tokens contain, and the checks that need no HTTP round trip. */
class TokenServiceTest {
  static final String CURRENT = JwtKeysTest.CURRENT;
  static final String PREVIOUS = JwtKeysTest.PREVIOUS;
  static Vertx vertx;
  static TokenService tokens;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    tokens = new TokenService(vertx, JwtKeys.of(CURRENT, Optional.of(PREVIOUS)));
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @Test
  void sessionTokenCarriesTheConventionClaimsAndCurrentKid() throws Exception {
    long before = Instant.now().getEpochSecond();
    String token = tokens.mintSession("u-7", "u7@example.test", Set.of(Role.VENDOR, Role.OPERATOR), AppName.TOT,
        Duration.ofMinutes(15));

    JsonObject header = ForgedTokens.decodePart(token, 0);
    assertThat(header.getString("alg")).isEqualTo("HS256");
    assertThat(header.getString("kid")).isEqualTo(JwtKeys.fingerprint(CURRENT));
    JsonObject claims = ForgedTokens.decodePart(token, 1);
    assertThat(claims.getString("iss")).isEqualTo("slabtrack");
    assertThat(claims.getString("sub")).isEqualTo("u-7");
    assertThat(claims.getString("email")).isEqualTo("u7@example.test");
    assertThat(claims.getJsonArray("roles").getList()).containsExactly("operator", "vendor");
    assertThat(claims.getString("typ")).isEqualTo("session");
    assertThat(claims.getString("aud")).as("the app that issued it").isEqualTo("tot");
    assertThat(claims.getLong("iat")).isBetween(before, before + 2);
    assertThat(claims.getLong("exp") - claims.getLong("iat")).isEqualTo(900);

    VerifiedToken v = await(tokens.verify(token, TokenType.SESSION, Optional.empty()));
    assertThat(v.subject()).isEqualTo("u-7");
    assertThat(v.email()).isEqualTo("u7@example.test");
    assertThat(v.roles()).containsExactlyInAnyOrder(Role.OPERATOR, Role.VENDOR);
    assertThat(v.type()).isEqualTo(TokenType.SESSION);
    assertThat(v.expiresAt()).isEqualTo(Instant.ofEpochSecond(claims.getLong("exp")));
    assertThat(v.claims().getString("sub")).isEqualTo("u-7");
  }

  @Test
  void serviceTokenNamesItsIssuerAndAudience() throws Exception {
    String token = tokens.mintService("tot", AppName.CORE, Duration.ofMinutes(1));
    VerifiedToken v = await(tokens.verify(token, TokenType.SERVICE, Optional.of(AppName.CORE)));
    assertThat(v.subject()).isEqualTo("app:tot");
    assertThat(v.issuerApp()).isEqualTo("tot");
    assertThat(v.audience()).containsExactly("core");
    assertThat(v.roles()).isEmpty();
    assertThat(v.email()).isNull();

    assertThat(rejected(tokens.verify(token, TokenType.SERVICE, Optional.of(AppName.STOREFRONT))).getMessage())
        .isEqualTo("Token is not meant for this app");
  }

  @Test
  void handoffTokenCarriesJtiAndAudienceAndIsOnlyAHandoff() throws Exception {
    String token = tokens.mintHandoff("u-1", "u1@example.test", Set.of(Role.BUYER), AppName.STOREFRONT, "jti-123",
        Duration.ofSeconds(30));
    VerifiedToken v = await(tokens.verify(token, TokenType.HANDOFF, Optional.of(AppName.STOREFRONT)));
    assertThat(v.jti()).isEqualTo("jti-123");
    assertThat(v.audience()).containsExactly("storefront");
    assertThat(v.roles()).containsExactly(Role.BUYER);

    assertThat(rejected(tokens.verify(token, TokenType.SESSION, Optional.empty())).getMessage())
        .isEqualTo("This route does not accept handoff tokens");
    assertThat(rejected(tokens.verify(token, TokenType.HANDOFF, Optional.of(AppName.TOT))).getMessage())
        .isEqualTo("Token is not meant for this app");
  }

  @Test
  void genericMintKeepsCustomClaimsButOwnsIssuerAndTimes() throws Exception {
    String token = tokens.mint(new JsonObject().put("sub", "x").put("typ", "session").put("iss", "evil")
        .put("exp", 1).put("shopId", 42), Duration.ofMillis(1500));
    JsonObject claims = ForgedTokens.decodePart(token, 1);
    assertThat(claims.getString("iss")).isEqualTo("slabtrack");
    assertThat(claims.getLong("exp") - claims.getLong("iat")).isEqualTo(2); // rounded up, never 0
    VerifiedToken v = await(tokens.verify(token, TokenType.SESSION, Optional.empty()));
    assertThat(v.claims().getInteger("shopId")).isEqualTo(42);
  }

  @Test
  void aSessionIsAcceptedOnlyByTheAppThatIssuedIt() throws Exception {
    long before = Instant.now().getEpochSecond();
    String tot = tokens.mintSession("u-7", null, Set.of(Role.OPERATOR), AppName.TOT, Duration.ofMinutes(5));
    VerifiedToken v = await(tokens.verify(tot, TokenType.SESSION, Optional.of(AppName.TOT)));
    assertThat(v.audience()).containsExactly("tot");
    assertThat(v.issuedAt().orElseThrow().getEpochSecond()).isBetween(before, before + 2);
    for (AppName other : List.of(AppName.CORE, AppName.STOREFRONT)) {
      assertThat(rejected(tokens.verify(tot, TokenType.SESSION, Optional.of(other))).getMessage())
          .as(other.id()).isEqualTo("Token is not meant for this app");
    }
  }

  @Test
  void noSessionOutlivesTheRevocationMemory() {
    assertThatThrownBy(() -> tokens.mintSession("u", null, Set.of(), AppName.CORE,
        TokenService.MAX_SESSION_TTL.plusSeconds(1))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nonPositiveTtlIsAProgrammingError() {
    assertThatThrownBy(() -> tokens.mintSession("u", null, Set.of(), AppName.CORE, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void foreignIssuerIsRefusedEvenWithTheRightKey() throws Exception {
    JsonObject payload = ForgedTokens.session("operator").put("iss", "someone-else");
    String token = ForgedTokens.hmac(ForgedTokens.header("HS256", null), payload, CURRENT);
    assertThat(rejected(tokens.verify(token, TokenType.SESSION, Optional.empty())).status()).isEqualTo(401);
    // control: the same payload with our issuer passes
    String ok = ForgedTokens.hmac(ForgedTokens.header("HS256", null), payload.put("iss", "slabtrack"), CURRENT);
    assertThat(await(tokens.verify(ok, TokenType.SESSION, Optional.empty())).subject()).isEqualTo("u-1");
  }

  @Test
  void unknownRoleNamesAreDroppedNotGranted() throws Exception {
    String token = ForgedTokens.hmac(ForgedTokens.header("HS256", null), ForgedTokens.session("admin", "buyer"),
        CURRENT);
    assertThat(await(tokens.verify(token, TokenType.SESSION, Optional.empty())).roles()).containsExactly(Role.BUYER);
  }

  @Test
  void oversizedTokenIsRefusedBeforeAnyWork() {
    JsonObject payload = ForgedTokens.session("operator").put("pad", "x".repeat(9000));
    String token = ForgedTokens.hmac(ForgedTokens.header("HS256", null), payload, CURRENT);
    assertThat(rejected(tokens.verify(token, TokenType.SESSION, Optional.empty())).getMessage())
        .isEqualTo("Token is too large");
  }

  @Test
  void failuresAre401UnauthorizedAndNeverEchoTheToken() {
    String good = tokens.mintSession("u-1", null, Set.of(), AppName.CORE, Duration.ofMinutes(1));
    for (String bad : List.of(good + "x", good.substring(0, good.length() - 4), "not-a-jwt", good + ".extra")) {
      ApiException e = rejected(tokens.verify(bad, TokenType.SESSION, Optional.empty()));
      assertThat(e.status()).isEqualTo(401);
      assertThat(e.code()).isEqualTo("unauthorized");
      assertThat(e.getMessage()).doesNotContain(bad).doesNotContain(good.split("\\.")[1]);
      assertThat(e.toJson().encode()).doesNotContain(good.split("\\.")[2]);
    }
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  static ApiException rejected(Future<?> f) {
    try {
      f.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(ApiException.class);
      return (ApiException) e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    return fail("token was accepted but should have been refused");
  }
}
