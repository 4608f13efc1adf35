package io.slabtrack.cluster.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.slabtrack.cluster.config.AppName;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tokens are a cross-app (and potentially cross-language) contract, so an independent implementation
 * (Nimbus JOSE+JWT) must accept ours and we must accept its tokens made with the shared secret.
 */
@ExtendWith(VertxExtension.class)
class NimbusInteropTest {
  static final String CURRENT = JwtKeysTest.CURRENT;
  static final String PREVIOUS = JwtKeysTest.PREVIOUS;
  static TokenService tokens;
  static AuthHttpFixture app;

  @BeforeAll
  static void start(Vertx vertx) {
    tokens = new TokenService(vertx, JwtKeys.of(CURRENT, Optional.of(PREVIOUS)));
    app = AuthHttpFixture.start(vertx, tokens);
  }

  @AfterAll
  static void stop() {
    app.stop();
  }

  @Test
  void nimbusSessionTokenWithKidIsAcceptedOverHttp() throws Exception {
    String token = nimbus(CURRENT, JwtKeys.fingerprint(CURRENT), session().build());
    assertThat(AuthHandlersTest.ok(app.bearer("/operator", token)).getString("sub")).isEqualTo("n-1");
  }

  @Test
  void nimbusSessionTokenWithoutKidIsAcceptedOverHttp() throws Exception {
    String token = nimbus(CURRENT, null, session().build());
    AuthHandlersTest.ok(app.get("/operator", "Cookie", "st_core=" + token));
  }

  @Test
  void nimbusTokenSignedWithThePreviousKeyIsAcceptedByKid() throws Exception {
    String token = nimbus(PREVIOUS, JwtKeys.fingerprint(PREVIOUS), session().build());
    AuthHandlersTest.ok(app.bearer("/operator", token));
  }

  @Test
  void nimbusServiceTokenIsAcceptedAndItsRulesStillApply() throws Exception {
    JWTClaimsSet.Builder claims = base().subject("app:storefront").audience("core").claim("typ", "service");
    VerifiedToken v = TokenServiceTest.await(tokens.verify(nimbus(CURRENT, null, claims.build()),
        TokenType.SERVICE, Optional.of(AppName.CORE)));
    assertThat(v.issuerApp()).isEqualTo("storefront");
    // Nimbus is happy to sign without exp; we are not happy to accept it
    JWTClaimsSet noExp = new JWTClaimsSet.Builder(claims.build()).expirationTime(null).build();
    TokenServiceTest.rejected(tokens.verify(nimbus(CURRENT, null, noExp), TokenType.SERVICE,
        Optional.of(AppName.CORE)));
  }

  @Test
  void ourTokensVerifyWithNimbus() throws Exception {
    String token = tokens.mintHandoff("u-5", "u5@example.test", Set.of(Role.BUYER, Role.VENDOR), AppName.TOT, "j-1",
        Duration.ofMinutes(2));
    SignedJWT jwt = SignedJWT.parse(token);
    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS256);
    assertThat(jwt.getHeader().getKeyID()).isEqualTo(JwtKeys.fingerprint(CURRENT));
    assertThat(jwt.verify(new MACVerifier(CURRENT.getBytes(StandardCharsets.UTF_8)))).isTrue();
    assertThat(jwt.verify(new MACVerifier(PREVIOUS.getBytes(StandardCharsets.UTF_8)))).isFalse();
    JWTClaimsSet claims = jwt.getJWTClaimsSet();
    assertThat(claims.getIssuer()).isEqualTo("slabtrack");
    assertThat(claims.getSubject()).isEqualTo("u-5");
    assertThat(claims.getAudience()).containsExactly("tot");
    assertThat(claims.getJWTID()).isEqualTo("j-1");
    assertThat(claims.getStringListClaim("roles")).containsExactly("vendor", "buyer");
    assertThat(claims.getStringClaim("typ")).isEqualTo("handoff");
    assertThat(claims.getExpirationTime()).isAfter(new Date());
  }

  private static JWTClaimsSet.Builder base() {
    long now = System.currentTimeMillis();
    return new JWTClaimsSet.Builder().issuer("slabtrack").issueTime(new Date(now))
        .expirationTime(new Date(now + 600_000));
  }

  private static JWTClaimsSet.Builder session() {
    return base().subject("n-1").audience("core").claim("email", "n1@example.test")
        .claim("roles", List.of("operator")).claim("typ", "session");
  }

  private static String nimbus(String secret, String kid, JWTClaimsSet claims) throws Exception {
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).keyID(kid).build();
    SignedJWT jwt = new SignedJWT(header, claims);
    jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
    return jwt.serialize();
  }
}
