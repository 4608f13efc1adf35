package io.slabtrack.cluster.browse;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.slabtrack.cluster.config.Settings;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One node's cache of buyer browse answers (pages of cards or listings, already encoded), kept current by the app's
 * {@code browse_versions} table: a trigger in the app's database gives a scope (a shop, ToT's listings) a new
 * version in the very transaction that changes what its buyers see, at commit, under the row's lock — so versions
 * follow commit order, and the table also keeps the scope's count of buyable rows.
 *
 * <p>Every node re-reads the whole (small: one row per shop) table when the database notifies a commit
 * ({@code NOTIFY browse_versions}, a few ms) and every {@link #POLL_MS} ms whatever happens ({@link
 * BrowseVersionsPoller}). An answer is cached under the version seen <em>before</em> it was read, so once a newer
 * version is seen the older entry is never served again: a sold card leaves browse on every node within
 * milliseconds, at worst {@code POLL_MS} when a notification is lost, and a stale entry can't outlive the change.
 * Chosen over a bus publish to the app's nodes because a publish is at-most-once and sent by application code after
 * its commit (a crash between the two, or a node that missed it, would keep a sold card for good) and over a check
 * per request because that costs a query on every hit. If reads stop succeeding (database or event loop trouble) for
 * {@link #TRUST_MS} ms, nothing is served from the cache. Memory is bounded by {@code maxBytes} (the entries'
 * encoded size), least recently used first out.
 */
public final class BrowseCache {
  public static final long POLL_MS = 100;
  public static final long TRUST_MS = 1_000;

  /** A scope's current version and its number of buyable rows (unfiltered total). */
  public record Scope(long version, long active) {
  }

  /** What a cached answer weighs, in bytes (roughly its encoded JSON). */
  public interface Weighed {
    int weight();
  }

  private record Key(String scope, long version, String query) {
  }

  private final Cache<Key, Weighed> entries;
  private final Map<Key, Future<? extends Weighed>> loading = new ConcurrentHashMap<>();
  private volatile Map<String, Scope> scopes = Map.of();
  private volatile long trustedUntil = 0;

  /** Sized by {@code BROWSE_CACHE_MB} (default 64) per app per node. */
  public static BrowseCache fromSettings(Settings settings) {
    return new BrowseCache(settings.integer("BROWSE_CACHE_MB", 64, 1, 4096) * 1024L * 1024L);
  }

  public BrowseCache(long maxBytes) {
    entries = Caffeine.newBuilder().maximumWeight(maxBytes)
        .weigher((Key k, Weighed v) -> Math.max(1, v.weight() + k.query().length() + 64))
        .build();
  }

  /** The scope's version and count as last polled; null when the scope has no row (yet) or the poll isn't trusted. */
  public Scope scope(String scope) {
    return trusted() ? scopes.get(scope) : null;
  }

  /**
   * The cached answer for {@code query} in {@code scope} at its current version, else {@code load}'s (stored when it
   * succeeds; concurrent misses of one key share one load). {@code load} gets the scope's version and count, or
   * null when unknown (then it must count itself). Loads failing (404, 400...) are not cached.
   */
  @SuppressWarnings("unchecked")
  public <V extends Weighed> Future<V> get(String scope, String query, Function<Scope, Future<V>> load) {
    if (!trusted()) {
      return load.apply(null);
    }
    Scope current = scopes.get(scope);
    Key key = new Key(scope, current == null ? 0 : current.version(), query);
    Weighed hit = entries.getIfPresent(key);
    if (hit != null) {
      return Future.succeededFuture((V) hit);
    }
    Future<? extends Weighed> pending = loading.get(key);
    if (pending != null) {
      return (Future<V>) pending;
    }
    Future<V> loaded = load.apply(current);
    loading.put(key, loaded);
    return loaded.andThen(ar -> {
      loading.remove(key);
      // a version seen meanwhile makes this key unreachable; storing it anyway is harmless (evicted by size)
      if (ar.succeeded()) {
        entries.put(key, ar.result());
      }
    });
  }

  /** Reads every scope's version; answers the scopes that changed since the last read (for tests and logs). */
  public Future<Set<String>> refresh(Pool pool) {
    long started = System.nanoTime();
    return pool.query("SELECT scope, version, active FROM browse_versions").execute().map(rows -> {
      Map<String, Scope> next = new HashMap<>();
      for (Row r : rows) {
        next.put(r.getString("scope"), new Scope(r.getLong("version"), r.getLong("active")));
      }
      return seen(next, started);
    });
  }

  /** Takes the versions read by a query that started at {@code readStarted} (System.nanoTime). */
  Set<String> seen(Map<String, Scope> next, long readStarted) {
    Map<String, Scope> before = scopes;
    Set<String> changed = new HashSet<>();
    next.forEach((s, v) -> {
      if (!v.equals(before.get(s))) {
        changed.add(s);
      }
    });
    scopes = Map.copyOf(next);
    // what was read is at least as new as the moment the query started
    trustedUntil = readStarted + TRUST_MS * 1_000_000;
    if (!changed.isEmpty()) {
      // entries of superseded versions can never be hit again: free their memory now
      entries.asMap().keySet().removeIf(k -> changed.contains(k.scope()));
    }
    return changed;
  }

  /** Entries held now (after pending evictions), for tests. */
  public long size() {
    entries.cleanUp();
    return entries.estimatedSize();
  }

  private boolean trusted() {
    return System.nanoTime() - trustedUntil < 0;
  }
}
