package io.slabtrack.tot.fairness;

import io.slabtrack.cluster.config.ConfigException;
import io.slabtrack.cluster.config.RunMode;
import io.slabtrack.cluster.config.Settings;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server seeds at rest: AES-256-GCM with a random 12-byte nonce per seed, the play id as associated data (a seed
 * copied onto another play's row fails to decrypt). The key is SHA-256 of {@code TOT_SEED_KEY}. Node mode refuses to
 * start without it: with the public dev key anyone who reads the database could unseal unrevealed seeds and pick a
 * winning client seed. Dev mode falls back to the dev key and says so loudly.
 */
public final class SeedVault {
  public static final String SETTING = "TOT_SEED_KEY";
  static final String DEV_KEY = "slabtrack-tot-dev-seed-key-not-secret";
  private static final Logger LOG = LoggerFactory.getLogger(SeedVault.class);
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec key;
  private final SecureRandom random = new SecureRandom();

  public SeedVault(String secret) {
    try {
      byte[] k = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
      this.key = new SecretKeySpec(k, "AES");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** @throws ConfigException in node mode without {@code TOT_SEED_KEY} */
  public static void requireKey(Settings settings, RunMode mode) {
    if (mode == RunMode.NODE && settings.optional(SETTING).filter(s -> !s.isBlank()).isEmpty()) {
      throw new ConfigException(SETTING + " is required in node mode: it seals ToT's server seeds at rest (a long "
          + "random string, the same on every ToT node, never changed while plays are unrevealed)");
    }
  }

  public static SeedVault fromSettings(Settings settings, RunMode mode) {
    requireKey(settings, mode);
    return settings.optional(SETTING).filter(s -> !s.isBlank()).map(SeedVault::new).orElseGet(() -> {
      LOG.warn("!!! {} is not set: server seeds are encrypted with the PUBLIC DEV KEY. Set {} in production. !!!",
          SETTING, SETTING);
      return new SeedVault(DEV_KEY);
    });
  }

  public byte[] newSeed() {
    byte[] seed = new byte[Fairness.SEED_BYTES];
    random.nextBytes(seed);
    return seed;
  }

  /** @return base64 of nonce ‖ ciphertext+tag */
  public String seal(byte[] seed, String playId) {
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      random.nextBytes(nonce);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(playId.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = c.doFinal(seed);
      return Base64.getEncoder().encodeToString(ByteBuffer.allocate(NONCE_BYTES + sealed.length)
          .put(nonce).put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("seed encryption failed", e);
    }
  }

  public byte[] open(String sealed, String playId) {
    try {
      byte[] all = Base64.getDecoder().decode(sealed);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
      c.updateAAD(playId.getBytes(StandardCharsets.UTF_8));
      return c.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("seed decryption failed for play " + playId + " (wrong key or tampered)", e);
    }
  }
}
