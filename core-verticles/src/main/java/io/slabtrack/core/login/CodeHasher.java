package io.slabtrack.core.login;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Login codes are stored as HMAC-SHA256(key, email + code). A six-digit code has only a million values, so a
 * plain or salted hash is undone by trying them all from a database dump; a key the database never sees (derived
 * from the server's JWT secret) is what makes the dump useless. Binding the email in stops one address's code from
 * matching another's row.
 */
final class CodeHasher {
  private static final String HMAC = "HmacSHA256";
  private static final String KEY_LABEL = "slabtrack login-code key v1";
  private final SecureRandom random = new SecureRandom();
  private final byte[] key;

  CodeHasher(String serverSecret) {
    this.key = mac(serverSecret.getBytes(StandardCharsets.UTF_8), KEY_LABEL);
  }

  /** Six decimal digits, uniformly drawn; leading zeros kept. */
  String newCode() {
    return String.format("%06d", random.nextInt(1_000_000));
  }

  byte[] hash(String normalizedEmail, String code) {
    return mac(key, normalizedEmail + "\n" + code);
  }

  /** Constant time: how many leading bytes matched must not show in the answer's timing. */
  static boolean matches(byte[] expected, byte[] actual) {
    return MessageDigest.isEqual(expected, actual);
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
