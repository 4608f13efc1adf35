package io.slabtrack.cluster.auth;

import io.slabtrack.cluster.config.AppName;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * Bearer tokens for this app's HTTP calls to another app ({@code typ: service}, {@code aud} = the receiver,
 * {@code sub = app:<us>}). They live five minutes and are re-minted once half of that is gone, so a call never
 * leaves with a token about to expire, and a leaked one is useless soon after. One per app per node; thread-safe.
 * <pre>
 *   webClient.post(...).bearerTokenAuthentication(ctx.serviceTokens().bearerFor(AppName.TOT))
 * </pre>
 */
public final class ServiceTokens {
  static final Duration TTL = Duration.ofMinutes(5);

  private final TokenService tokens;
  private final AppName self;
  private final Clock clock;
  private final Map<AppName, Minted> cache = new EnumMap<>(AppName.class);

  public ServiceTokens(TokenService tokens, AppName self) {
    this(tokens, self, Clock.systemUTC());
  }

  ServiceTokens(TokenService tokens, AppName self, Clock clock) {
    this.tokens = tokens;
    this.self = self;
    this.clock = clock;
  }

  /** A service token for calling {@code receiver}; the same one until half its life is over. */
  public synchronized String bearerFor(AppName receiver) {
    if (receiver == self) {
      throw new IllegalArgumentException(self.id() + " does not call itself over HTTP");
    }
    Instant now = clock.instant();
    Minted current = cache.get(receiver);
    if (current == null || now.isAfter(current.renewAt())) {
      current = new Minted(tokens.mintService(self.id(), receiver, TTL), now.plus(TTL.dividedBy(2)));
      cache.put(receiver, current);
    }
    return current.token();
  }

  private record Minted(String token, Instant renewAt) {
  }
}
