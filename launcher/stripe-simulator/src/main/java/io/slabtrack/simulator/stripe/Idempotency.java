package io.slabtrack.simulator.stripe;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stripe's {@code Idempotency-Key}: the same key with the same request answers the first response again; the
 * same key with different parameters is refused with an {@code idempotency_error}. Keys are scoped to the API
 * key that sent them. Like Stripe, only responses of requests that ran are kept (successes and card declines),
 * not validation errors, so a corrected request may reuse its key.
 */
final class Idempotency {
  /** Each key keeps its whole answer (a few KB): 10,000 of them is a few tens of MB at most. */
  static final int MAX_KEYS = 10_000;

  record Stored(String fingerprint, int status, String body) {
  }

  private final Map<String, Stored> byKey = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Stored> eldest) {
      return size() > MAX_KEYS; // memory bound for a long-running dev simulator; Stripe keeps keys 24 h
    }
  };

  /** @return the stored answer for a replay, or null when the request should run */
  Stored replay(String apiKey, String key, String fingerprint) {
    Stored s = byKey.get(apiKey + "\n" + key);
    if (s == null) {
      return null;
    }
    if (!s.fingerprint().equals(fingerprint)) {
      throw SimError.idempotency("Keys for idempotent requests can only be used with the same parameters they "
          + "were first used with. Try using a key other than '" + key + "' if you meant to execute a different "
          + "request.");
    }
    return s;
  }

  void remember(String apiKey, String key, String fingerprint, int status, String body) {
    if (status / 100 == 2 || status == 402) {
      byKey.put(apiKey + "\n" + key, new Stored(fingerprint, status, body));
    }
  }
}
