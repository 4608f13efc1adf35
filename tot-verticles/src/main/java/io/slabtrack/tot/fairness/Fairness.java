package io.slabtrack.tot.fairness;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The published formulas buyers recompute (issue 7): integer cents, exact decimal arithmetic, rounded half-up
 * once at the end. Pure and stateless so the same code serves the play engine, the reveal recipe and the tests.
 */
public final class Fairness {
  public static final BigDecimal PULL_FACTOR = new BigDecimal("0.85");
  public static final long PULL_FEE_CENTS = 100;
  public static final int SEED_BYTES = 32;

  /** Flip outcome. */
  public enum FlipOutcome { WIN, LOSE }

  private Fairness() {
  }

  /** {@code round(cardValue × (1 − spread))}. */
  public static long winPrice(long cardValue, BigDecimal spread) {
    return roundHalfUp(BigDecimal.valueOf(cardValue).multiply(BigDecimal.ONE.subtract(spread)));
  }

  /** {@code round(cardValue × (1 + spread))}. */
  public static long losePrice(long cardValue, BigDecimal spread) {
    return roundHalfUp(BigDecimal.valueOf(cardValue).multiply(BigDecimal.ONE.add(spread)));
  }

  /** {@code round(sum × 0.85 / n) + 100}: the division is exact-decimal too, rounded only at the end. */
  public static long pullPrice(List<Long> optionValues) {
    if (optionValues.isEmpty()) {
      throw new IllegalArgumentException("a pull needs options");
    }
    BigDecimal sum = BigDecimal.valueOf(optionValues.stream().mapToLong(Long::longValue).sum());
    BigDecimal scaled = sum.multiply(PULL_FACTOR)
        .divide(BigDecimal.valueOf(optionValues.size()), 10, RoundingMode.HALF_UP);
    return roundHalfUp(scaled) + PULL_FEE_CENTS;
  }

  /** {@code SHA-256(lowercase hex of serverSeed)} as lowercase hex: the commitment shown before play. */
  public static String seedHash(byte[] serverSeed) {
    try {
      byte[] hex = HexFormat.of().formatHex(serverSeed).getBytes(StandardCharsets.US_ASCII);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(hex));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 missing from the JVM", e);
    }
  }

  /** HMAC-SHA256(key = serverSeed bytes, message = clientSeed UTF-8): 32 outcome bytes. */
  public static byte[] outcomeBytes(byte[] serverSeed, String clientSeed) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(serverSeed, "HmacSHA256"));
      return mac.doFinal(clientSeed.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 missing from the JVM", e);
    }
  }

  /** Last outcome byte even → WIN. */
  public static FlipOutcome flip(byte[] outcome) {
    return (outcome[outcome.length - 1] & 0xff) % 2 == 0 ? FlipOutcome.WIN : FlipOutcome.LOSE;
  }

  /** Winner index {@code bytes[0] % n} (byte read unsigned) into the options sorted by listing id ascending. */
  public static int pullWinner(byte[] outcome, int n) {
    if (n < 1) {
      throw new IllegalArgumentException("a pull needs options");
    }
    return (outcome[0] & 0xff) % n;
  }

  private static long roundHalfUp(BigDecimal value) {
    return value.setScale(0, RoundingMode.HALF_UP).longValueExact();
  }
}
