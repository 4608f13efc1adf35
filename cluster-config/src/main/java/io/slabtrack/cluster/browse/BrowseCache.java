package io.slabtrack.cluster.browse;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.slabtrack.cluster.config.Settings;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One node's cache of buyer browse answers (pages of cards or listings, already encoded), kept exact by the app's
 * {@code browse_versions} table: a trigger in the app's database gives a scope (a shop, ToT's listings) a new version
 * in the very transaction that changes what its buyers see, at commit, under the row's lock — so versions follow
 * commit order whatever code path made the change.
 *
 * <p>Every request reads its scope's version from the database before it is answered, and the answer is cached under
 * that version: whatever committed before the request arrived, on any node, is in its answer (a sold card is gone
 * from browse on every node at once; a stale entry can't outlive a newer change). The reads are shared: requests
 * arriving while a version read is in flight wait for the next one, which reads all their scopes in one indexed
 * query — under load, one tiny query serves many requests. Chosen over a bus publish to the app's nodes (at most
 * once, sent after the commit: a node that missed one would keep a sold card) and over polling (a request right after
 * a commit could still be answered from before it). Memory is bounded by {@code maxBytes} (the entries' weight),
 * least recently used first out.
 */
public final class BrowseCache {
  static final String VERSIONS = "SELECT scope, version FROM browse_versions WHERE scope = ANY($1)";

  /** A scope's current version. */
  public record Scope(long version) {
  }

  /** What a cached answer weighs, in bytes (roughly its encoded JSON). */
  public interface Weighed {
    int weight();
  }

  private record Key(String scope, long version, String query) {
  }

  private final Pool pool;
  private final Cache<Key, Weighed> entries;
  private final Map<Key, Future<? extends Weighed>> loading = new ConcurrentHashMap<>();
  private final Map<String, Long> newest = new ConcurrentHashMap<>();
  private final Object lock = new Object();
  private boolean reading;
  private Map<String, List<Promise<Scope>>> waiting = new HashMap<>();

  /** Sized by {@code BROWSE_CACHE_MB} (default 64) per app per node. */
  public static BrowseCache fromSettings(Pool pool, Settings settings) {
    return new BrowseCache(pool, settings.integer("BROWSE_CACHE_MB", 64, 1, 4096) * 1024L * 1024L);
  }

  public BrowseCache(Pool pool, long maxBytes) {
    this.pool = pool;
    entries = Caffeine.newBuilder().maximumWeight(maxBytes)
        .weigher((Key k, Weighed v) -> Math.max(1, v.weight() + k.query().length() + 64))
        .build();
  }

  /**
   * The answer for {@code query} in {@code scope} at the scope's version now: cached, else {@code load}'s (stored
   * when it succeeds; concurrent misses of one key share one load). {@code load} gets the scope's version, or null
   * when the scope has no row. Failed loads (404, 400...) are not cached.
   */
  public <V extends Weighed> Future<V> get(String scope, String query, Function<Scope, Future<V>> load) {
    return version(scope).compose(current -> at(scope, current, query, load));
  }

  /**
   * The scope's version now, read as {@link #get} reads it (shared with the requests waiting); null when the scope
   * has no row. With {@link #at}, one read serves every part of an answer (a page, its shop, its cards, its facets).
   */
  public Future<Scope> current(String scope) {
    return version(scope);
  }

  /** As {@link #get}, at a version this request has read already ({@link #current}). */
  @SuppressWarnings("unchecked")
  public <V extends Weighed> Future<V> at(String scope, Scope current, String query, Function<Scope, Future<V>> load) {
    Key key = new Key(scope, current == null ? 0 : current.version(), query);
    Weighed hit = entries.getIfPresent(key);
    if (hit != null) {
      return Future.succeededFuture((V) hit);
    }
    Future<? extends Weighed> pending = loading.get(key);
    if (pending != null) {
      return (Future<V>) pending;
    }
    Future<V> loaded;
    try {
      loaded = load.apply(current);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    loading.put(key, loaded);
    return loaded.andThen(ar -> {
      loading.remove(key);
      if (ar.succeeded()) {
        entries.put(key, ar.result());
      }
    });
  }

  /**
   * A query key from its parts, each written with its length (null as {@code ~}), so no two different queries share
   * one whatever text a buyer types into them.
   */
  public static String key(Object... parts) {
    StringBuilder b = new StringBuilder(64);
    for (Object part : parts) {
      if (part == null) {
        b.append('~');
      } else {
        String s = String.valueOf(part);
        b.append(s.length()).append(':').append(s);
      }
      b.append('|');
    }
    return b.toString();
  }

  /** Entries held now (after pending evictions), for tests. */
  public long size() {
    entries.cleanUp();
    return entries.estimatedSize();
  }

  /** The scope's row as a read started after this call sees it (null: no row). */
  Future<Scope> version(String scope) {
    Promise<Scope> answer = Promise.promise();
    boolean start;
    synchronized (lock) {
      waiting.computeIfAbsent(scope, k -> new ArrayList<>()).add(answer);
      start = !reading;
      reading = true;
    }
    if (start) {
      readWaiting();
    }
    return answer.future();
  }

  /** One query for every scope asked for since the previous read began; then the next batch, if any. */
  private void readWaiting() {
    Map<String, List<Promise<Scope>>> batch;
    synchronized (lock) {
      batch = waiting;
      waiting = new HashMap<>();
    }
    pool.preparedQuery(VERSIONS).execute(Tuple.of((Object) batch.keySet().toArray(new String[0]))).onComplete(ar -> {
      Map<String, Scope> found = new HashMap<>();
      if (ar.succeeded()) {
        for (Row r : ar.result()) {
          found.put(r.getString("scope"), new Scope(r.getLong("version")));
        }
        found.forEach(this::seen);
      }
      boolean more;
      synchronized (lock) {
        more = !waiting.isEmpty();
        reading = more;
      }
      batch.forEach((scope, answers) -> answers.forEach(a -> {
        if (ar.failed()) {
          a.fail(ar.cause());
        } else {
          a.complete(found.get(scope));
        }
      }));
      if (more) {
        readWaiting();
      }
    });
  }

  /** A newer version makes the scope's older entries unreachable: their memory is freed now. */
  private void seen(String scope, Scope now) {
    Long before = newest.put(scope, now.version());
    if (before != null && before != now.version()) {
      entries.asMap().keySet().removeIf(k -> k.scope().equals(scope) && k.version() < now.version());
    }
  }
}
