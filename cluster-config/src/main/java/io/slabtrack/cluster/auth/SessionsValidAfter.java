package io.slabtrack.cluster.auth;

import com.hazelcast.replicatedmap.ReplicatedMap;
import io.slabtrack.cluster.hazelcast.ClusterNode;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Per user, the instant before which that user's session and handoff tokens no longer count: core sets it when an
 * operator changes someone's roles or disables them, so tokens minted with the old roles stop working on every app
 * (a Hazelcast replicated map, {@code slabtrack.sessions-valid-after}, user id → epoch millis, followed locally in a
 * {@link LocalReplica} like {@link DisabledUsers}). Core's database holds the same instants and re-publishes them.
 *
 * <p>A token is refused when its {@code iat} is before the instant. {@code iat} has whole seconds and the instant
 * has milliseconds, so a token minted in the same second as the change, even just after it, is refused too: the
 * safe side, since a caller minting tokens in a loop must never get one across the change. Such a person just signs
 * in again a moment later. A token with no {@code iat} is refused whenever the user has an instant.
 *
 * <p>An entry is kept as long as a session minted just before it could live ({@link TokenService#MAX_SESSION_TTL}
 * plus leeway); after that every token it could refuse has expired anyway.
 */
public final class SessionsValidAfter {
  public static final String MAP = "slabtrack.sessions-valid-after";
  /** How long an instant matters: the longest session plus clock leeway. */
  public static final Duration KEEP = TokenService.MAX_SESSION_TTL.plusSeconds(TokenService.LEEWAY_SECONDS);

  private final LocalReplica<Long> replica;

  public SessionsValidAfter(ClusterNode cluster) {
    this.replica = new LocalReplica<>(cluster.vertx(), cluster.hazelcast().getReplicatedMap(MAP));
  }

  public Future<Void> start() {
    return replica.start();
  }

  public Future<Void> stop() {
    return replica.stop();
  }

  /** True when {@code token} was issued before its subject's sessions-valid-after instant. */
  public boolean revokes(VerifiedToken token) {
    Long validAfterMillis = replica.snapshot().get(token.subject());
    if (validAfterMillis == null) {
      return false;
    }
    Optional<Instant> issuedAt = token.issuedAt();
    return issuedAt.isEmpty() || issuedAt.get().toEpochMilli() < validAfterMillis;
  }

  /** Tokens of {@code userId} issued before {@code validAfter} stop working on every node. */
  public Future<Void> set(String userId, Instant validAfter) {
    return replica.write(map -> put(map, userId, validAfter.toEpochMilli()));
  }

  /**
   * Makes the map hold exactly {@code validAfterByUser} (core's database is the truth; this repairs a lost write
   * and refills the map after a full cluster restart). Instants older than {@link #KEEP} may be left out.
   */
  public Future<Void> replaceAll(Map<String, Instant> validAfterByUser) {
    return replica.write(map -> {
      map.keySet().stream().filter(k -> !validAfterByUser.containsKey(k)).forEach(map::remove);
      validAfterByUser.forEach((user, instant) -> {
        long millis = instant.toEpochMilli();
        if (!Long.valueOf(millis).equals(map.get(user))) {
          put(map, user, millis);
        }
      });
    });
  }

  /** The entry expires once no token it refuses can still be alive; an instant already that old is not stored. */
  private static void put(ReplicatedMap<String, Long> map, String user, long millis) {
    long ttl = millis + KEEP.toMillis() - System.currentTimeMillis();
    if (ttl > 0) {
      map.put(user, millis, ttl, TimeUnit.MILLISECONDS);
    } else {
      map.remove(user);
    }
  }
}
