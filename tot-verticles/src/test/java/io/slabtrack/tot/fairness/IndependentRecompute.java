package io.slabtrack.tot.fairness;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * What a buyer would write from the published recipe, sharing no code with {@link Fairness}: HMAC built by hand
 * from SHA-256 (RFC 2104), prices in integer arithmetic with explicit half-up rounding.
 */
public final class IndependentRecompute {
  private IndependentRecompute() {
  }

  public static String sha256Hex(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  /** SHA-256 of the lowercase hex text of the seed. */
  public static String seedHash(String serverSeedHex) throws Exception {
    return sha256Hex(serverSeedHex.toLowerCase().getBytes(StandardCharsets.US_ASCII));
  }

  public static byte[] hmacSha256(byte[] key, byte[] message) throws Exception {
    byte[] k = new byte[64];
    System.arraycopy(key.length > 64 ? MessageDigest.getInstance("SHA-256").digest(key) : key, 0, k, 0,
        Math.min(key.length, 64));
    byte[] inner = new byte[64 + message.length];
    byte[] outerPad = new byte[64 + 32];
    for (int i = 0; i < 64; i++) {
      inner[i] = (byte) (k[i] ^ 0x36);
      outerPad[i] = (byte) (k[i] ^ 0x5c);
    }
    System.arraycopy(message, 0, inner, 64, message.length);
    byte[] innerHash = MessageDigest.getInstance("SHA-256").digest(inner);
    System.arraycopy(innerHash, 0, outerPad, 64, 32);
    return MessageDigest.getInstance("SHA-256").digest(outerPad);
  }

  public static byte[] outcome(String serverSeedHex, String clientSeed) throws Exception {
    return hmacSha256(HexFormat.of().parseHex(serverSeedHex), clientSeed.getBytes(StandardCharsets.UTF_8));
  }

  public static String flip(byte[] outcome) {
    return Byte.toUnsignedInt(outcome[31]) % 2 == 0 ? "WIN" : "LOSE";
  }

  public static int pullWinner(byte[] outcome, int n) {
    return Byte.toUnsignedInt(outcome[0]) % n;
  }

  /** value × (10000 ∓ bp) / 10000, half-up, with the spread given in basis points. */
  public static long winPrice(long value, long spreadBp) {
    return halfUp(value * (10_000 - spreadBp), 10_000);
  }

  public static long losePrice(long value, long spreadBp) {
    return halfUp(value * (10_000 + spreadBp), 10_000);
  }

  /** sum × 85 / (100 n), half-up, + 100. */
  public static long pullPrice(List<Long> values) {
    long sum = values.stream().mapToLong(Long::longValue).sum();
    return halfUp(sum * 85, 100L * values.size()) + 100;
  }

  private static long halfUp(long numerator, long denominator) {
    return (2 * numerator + denominator) / (2 * denominator);
  }
}
