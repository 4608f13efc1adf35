package io.slabtrack.core.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Keyed, email-bound code hashes that survive a key rotation, and codes that look random. */
class CodeHasherTest {
  private static final String OLD = "old-secret-for-code-hash-tests-0123456789";
  private static final String NEW = "new-secret-for-code-hash-tests-0123456789";

  @Test
  void hashesAreKeyedAndBoundToTheAddress() {
    CodeHasher h = new CodeHasher(NEW, Optional.empty());
    byte[] stored = h.hash("a@example.test", "123456");
    assertThat(stored).hasSize(32);
    assertThat(h.matches(stored, "a@example.test", "123456")).isTrue();
    assertThat(h.matches(stored, "a@example.test", "123457")).isFalse();
    assertThat(h.matches(stored, "b@example.test", "123456")).isFalse();
    assertThat(new CodeHasher(OLD, Optional.empty()).matches(stored, "a@example.test", "123456")).isFalse();
  }

  @Test
  void aCodeIssuedUnderThePreviousKeyStillMatchesDuringRotation() {
    byte[] issuedBeforeRotation = new CodeHasher(OLD, Optional.empty()).hash("a@example.test", "000042");
    assertThat(new CodeHasher(NEW, Optional.of(OLD)).matches(issuedBeforeRotation, "a@example.test", "000042"))
        .isTrue();
    assertThat(new CodeHasher(NEW, Optional.empty()).matches(issuedBeforeRotation, "a@example.test", "000042"))
        .as("after the old key is removed").isFalse();
  }

  @Test
  void codesAreSixDigits() {
    CodeHasher h = new CodeHasher(NEW, Optional.empty());
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      String code = h.newCode();
      assertThat(code).matches("\\d{6}");
      seen.add(code);
    }
    assertThat(seen.size()).isGreaterThan(190);
  }
}
