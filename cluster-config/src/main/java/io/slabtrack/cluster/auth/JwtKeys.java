package io.slabtrack.cluster.auth;

import io.slabtrack.cluster.config.NodeConfig;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HS256 key set every app shares: the current secret (signs and verifies) and, during a rotation, the
 * previous one (verifies only). Keys are named by their fingerprint, which is also the JWT {@code kid}, so a
 * token says which key signed it and logs or health pages can show which keys a node holds without revealing
 * them.
 *
 * <p>The secrets themselves are only reachable from this package: nothing outside {@link TokenService} needs
 * them, and {@link #toString()} never prints them.
 */
public final class JwtKeys {
  /** Fixed message for the fingerprint HMAC; changing it would change every kid in the ecosystem. */
  static final String FINGERPRINT_MESSAGE = "slabtrack-jwt-key-fingerprint";
  private static final int FINGERPRINT_HEX_CHARS = 16;

  private final String currentSecret;
  private final String currentKid;
  private final Optional<String> previousSecret;
  private final Optional<String> previousKid;

  private JwtKeys(String currentSecret, Optional<String> previousSecret) {
    this.currentSecret = currentSecret;
    this.currentKid = fingerprint(currentSecret);
    // A "previous" equal to the current key is a no-op rotation: keeping it would give two keys one kid.
    this.previousSecret = previousSecret.filter(p -> !p.equals(currentSecret));
    this.previousKid = this.previousSecret.map(JwtKeys::fingerprint);
  }

  /**
   * @param currentSecret  signs every new token; at least {@link NodeConfig#MIN_SECRET_BYTES} bytes
   * @param previousSecret still accepted for verification while tokens signed before a rotation live out
   */
  public static JwtKeys of(String currentSecret, Optional<String> previousSecret) {
    requireUsable("current JWT secret", currentSecret);
    Objects.requireNonNull(previousSecret, "previousSecret (use Optional.empty())");
    previousSecret.ifPresent(p -> requireUsable("previous JWT secret", p));
    return new JwtKeys(currentSecret, previousSecret);
  }

  /** The keys a node was configured with ({@code JWT_SECRET}, {@code JWT_SECRET_PREVIOUS}). */
  public static JwtKeys from(NodeConfig config) {
    return of(config.jwtSecret(), config.jwtSecretPrevious());
  }

  public String currentKid() {
    return currentKid;
  }

  public Optional<String> previousKid() {
    return previousKid;
  }

  /** Fingerprints of the key set {current, previous}, current first. */
  public Set<String> fingerprints() {
    Set<String> out = new LinkedHashSet<>();
    out.add(currentKid);
    previousKid.ifPresent(out::add);
    return java.util.Collections.unmodifiableSet(out);
  }

  /**
   * First 16 lowercase hex chars of HMAC-SHA256(key = secret bytes, message = "slabtrack-jwt-key-fingerprint").
   * An HMAC rather than a plain hash so the fingerprint is no shortcut for guessing the secret offline beyond
   * what a signed token already offers.
   */
  public static String fingerprint(String secret) {
    requireNonEmpty("secret", secret);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] digest = mac.doFinal(FINGERPRINT_MESSAGE.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, FINGERPRINT_HEX_CHARS);
    } catch (GeneralSecurityException e) {
      // HmacSHA256 is mandatory in every Java runtime; reaching this means a broken JVM.
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  String currentSecret() {
    return currentSecret;
  }

  Optional<String> previousSecret() {
    return previousSecret;
  }

  @Override
  public String toString() {
    return "JwtKeys{current=" + currentKid + ", previous=" + previousKid.orElse("none") + "}";
  }

  private static void requireUsable(String what, String secret) {
    requireNonEmpty(what, secret);
    if (secret.getBytes(StandardCharsets.UTF_8).length < NodeConfig.MIN_SECRET_BYTES) {
      throw new IllegalArgumentException(what + " must be at least " + NodeConfig.MIN_SECRET_BYTES + " bytes long");
    }
  }

  private static void requireNonEmpty(String what, String secret) {
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
  }
}
