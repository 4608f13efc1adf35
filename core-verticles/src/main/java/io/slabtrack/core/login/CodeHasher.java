package io.slabtrack.core.login;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Login codes are stored as HMAC-SHA256(key, email + code). A six-digit code has only a million values, so a
 * plain or salted hash is undone by trying them all from a database dump; a key the database never sees (derived
 * from the server's JWT secret) is what makes the dump useless. Binding the email in stops one address's code from
 * matching another's row. During a key rotation a code issued by a node still on the old key is checked against
 * that key too, so a rolling restart does not void codes already in people's inboxes.
 */
final class CodeHasher {
  private static final String HMAC = "HmacSHA256";
  private static final String KEY_LABEL = "slabtrack login-code key v1";
  private final SecureRandom random = new SecureRandom();
  private final byte[] key;
  private final Optional<byte[]> previousKey;

  CodeHasher(String serverSecret, Optional<String> previousSecret) {
    this.key = derive(serverSecret);
    this.previousKey = previousSecret.map(CodeHasher::derive);
  }

  /** Six decimal digits, uniformly drawn; leading zeros kept. */
  String newCode() {
    return String.format("%06d", random.nextInt(1_000_000));
  }

  byte[] hash(String normalizedEmail, String code) {
    return mac(key, normalizedEmail + "\n" + code);
  }

  /**
   * Whether {@code stored} is the hash of this code under the current or the previous key. Compared in constant
   * time: how many leading bytes matched must not show in the answer's timing.
   */
  boolean matches(byte[] stored, String normalizedEmail, String code) {
    boolean current = MessageDigest.isEqual(stored, hash(normalizedEmail, code));
    boolean previous = previousKey.map(k -> MessageDigest.isEqual(stored, mac(k, normalizedEmail + "\n" + code)))
        .orElse(false);
    return current | previous;
  }

  private static byte[] derive(String secret) {
    return mac(secret.getBytes(StandardCharsets.UTF_8), KEY_LABEL);
  }

  private static byte[] mac(byte[] key, String message) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(key, HMAC));
      return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
