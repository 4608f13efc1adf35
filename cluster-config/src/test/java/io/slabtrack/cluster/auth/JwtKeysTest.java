package io.slabtrack.cluster.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class JwtKeysTest {
  static final String CURRENT = "current-secret-for-auth-tests-0123456789";
  static final String PREVIOUS = "previous-secret-for-auth-tests-012345678";

  @Test
  void fingerprintMatchesAnIndependentHmacComputation() {
    // Expected values computed with: printf %s slabtrack-jwt-key-fingerprint | openssl dgst -sha256 -hmac SECRET
    assertThat(JwtKeys.fingerprint(CURRENT)).isEqualTo("f056d37cc7095948");
    assertThat(JwtKeys.fingerprint("slabtrack-dev-only-secret-do-not-use-in-production!"))
        .isEqualTo("93c85f04d51fd25a");
  }

  @Test
  void fingerprintsAreStableForOneSecretAndDifferAcrossSecrets() {
    assertThat(JwtKeys.fingerprint(CURRENT)).isEqualTo(JwtKeys.fingerprint(new String(CURRENT.toCharArray())));
    assertThat(JwtKeys.fingerprint(CURRENT)).isNotEqualTo(JwtKeys.fingerprint(PREVIOUS));
    assertThat(JwtKeys.fingerprint(CURRENT + "x")).isNotEqualTo(JwtKeys.fingerprint(CURRENT));
    assertThat(JwtKeys.fingerprint(PREVIOUS)).matches("[0-9a-f]{16}");
  }

  @Test
  void fingerprintsCoverCurrentThenPrevious() {
    JwtKeys keys = JwtKeys.of(CURRENT, Optional.of(PREVIOUS));
    assertThat(keys.currentKid()).isEqualTo(JwtKeys.fingerprint(CURRENT));
    assertThat(keys.previousKid()).contains(JwtKeys.fingerprint(PREVIOUS));
    assertThat(keys.fingerprints()).containsExactly(JwtKeys.fingerprint(CURRENT), JwtKeys.fingerprint(PREVIOUS));

    JwtKeys single = JwtKeys.of(CURRENT, Optional.empty());
    assertThat(single.previousKid()).isEmpty();
    assertThat(single.fingerprints()).containsExactly(JwtKeys.fingerprint(CURRENT));
  }

  @Test
  void previousEqualToCurrentIsNoSecondKey() {
    JwtKeys keys = JwtKeys.of(CURRENT, Optional.of(CURRENT));
    assertThat(keys.previousKid()).isEmpty();
    assertThat(keys.fingerprints()).hasSize(1);
  }

  @Test
  void shortOrEmptySecretsAreRefused() {
    assertThatThrownBy(() -> JwtKeys.of("too-short", Optional.empty())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JwtKeys.of(CURRENT, Optional.of(""))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JwtKeys.fingerprint("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void toStringShowsKidsNotSecrets() {
    String s = JwtKeys.of(CURRENT, Optional.of(PREVIOUS)).toString();
    assertThat(s).contains(JwtKeys.fingerprint(CURRENT)).doesNotContain(CURRENT).doesNotContain(PREVIOUS);
  }
}
