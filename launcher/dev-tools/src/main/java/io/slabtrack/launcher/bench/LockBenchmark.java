package io.slabtrack.launcher.bench;

import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.map.IMap;
import io.slabtrack.cluster.config.NodeConfig;
import io.slabtrack.cluster.hazelcast.ClusterNode;
import io.slabtrack.cluster.salelock.AcquireRequest;
import io.slabtrack.cluster.salelock.SaleLock;
import io.slabtrack.cluster.salelock.StoredLock;
import io.slabtrack.cluster.salelock.SaleLocks;
import io.slabtrack.launcher.commands.ServerCommand;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.params.SetParams;

@Command(name = "locks", mixinStandardHelpOptions = true,
    description = "Sale-lock acquire+release on a three-JVM cluster: our API vs raw IMap putIfAbsent+remove "
        + "vs Redis SET NX PX + DEL (127.0.0.1:6379), same run, same concurrency.")
public final class LockBenchmark implements Callable<Integer> {

  @Option(names = "--pairs", defaultValue = "30000", description = "acquire+release pairs per path (default ${DEFAULT-VALUE})")
  int pairs;

  @Option(names = "--in-flight", defaultValue = "64", description = "pairs in flight (default ${DEFAULT-VALUE})")
  int inFlight;

  @Option(names = "--raw-async", defaultValue = "true", negatable = true,
      description = "also run the raw map's async calls from the event loops on sale-locks' map config (a diagnostic "
          + "row, not an anchor; default ${DEFAULT-VALUE})")
  boolean rawAsyncRow;

  @Option(names = "--warmup-rounds", defaultValue = "3",
      description = "rounds of every path (--pairs each) run before any is measured (default ${DEFAULT-VALUE})")
  int warmupRounds;

  @Option(names = "--redis", defaultValue = "127.0.0.1:6379", description = "Redis for the baseline; 'none' skips it")
  String redis;

  @Override
  public Integer call() throws Exception {
    int parentPort = BenchCluster.freePort();
    int childA = BenchCluster.freePort();
    int childB = BenchCluster.freePort();
    String members = "127.0.0.1:" + parentPort + ",127.0.0.1:" + childA + ",127.0.0.1:" + childB;
    String cluster = "slabtrack-bench-" + UUID.randomUUID().toString().substring(0, 8);
    List<Process> children = List.of(
        BenchCluster.startResponder(BenchCluster.env(cluster, childA, members)),
        BenchCluster.startResponder(BenchCluster.env(cluster, childB, members)));
    try {
      Map<String, String> env = BenchCluster.env(cluster, parentPort, members);
      NodeConfig config = BenchCluster.config(env);
      ClusterNode node = ServerCommand.await(BenchCluster.join(env, "bench"));
      while (node.members().size() < 3) {
        Thread.sleep(200);
      }
      // the third member's join moves partitions for several seconds: measured while they moved, our path (run
      // first) paid migration retries the anchors never saw
      long safeBy = System.nanoTime() + 60_000_000_000L;
      while (!node.hazelcast().getPartitionService().isClusterSafe() && System.nanoTime() < safeBy) {
        Thread.sleep(200);
      }
      SaleLocks locks = new SaleLocks(node.vertx(), node.hazelcast(), config.saleLocks());
      locks.open().await();
      IMap<Long, HazelcastJsonValue> raw = node.hazelcast().getMap("bench-raw-locks");

      List<ProcessHandle> jvms = new ArrayList<>(List.of(ProcessHandle.current()));
      children.forEach(c -> jvms.add(c.toHandle()));
      List<Path> paths = new ArrayList<>();
      paths.add(new Path("our API (SaleLocks acquire + release)", "our API", jvms,
          n -> ourApi(node, locks, n)));
      paths.add(new Path("raw IMap putIfAbsent(ttl) + remove (anchor)", "raw IMap", jvms, n -> rawImap(raw, n)));
      if (rawAsyncRow) {
        IMap<Long, StoredLock> sameConfig = node.hazelcast().getMap(SaleLocks.MAP);
        paths.add(new Path("not an anchor: raw IMap async from the event loops, sale-locks' map config",
            "raw IMap async", jvms, n -> rawAsync(node, sameConfig, n)));
      }
      if (!"none".equals(redis)) {
        List<ProcessHandle> redisAndUs = new ArrayList<>(List.of(ProcessHandle.current()));
        ProcessHandle.allProcesses().filter(p -> p.info().command().orElse("").endsWith("redis-server"))
            .forEach(redisAndUs::add);
        paths.add(new Path("Redis SET NX PX + DEL", "Redis", redisAndUs, n -> redis(n)));
      }
      // Warm-up rounds of every path, in turn, before any is measured. Each path used to be warmed alone (pairs / 5)
      // right before its own row, and ours, the first row, ran while the three JVMs were still compiling the map
      // operations every row shares: run 7 times in a row in one process, our path went 2,916 -> 5,499 -> 7,379
      // pairs/s, and after the anchors' rows 11,280 -> 13,786 (its CPU per pair from 491 to 125 µs), same code, same run.
      StringBuilder warm = new StringBuilder("warm-up rounds (pairs/s, not measured):");
      for (int round = 1; round <= warmupRounds; round++) {
        warm.append(" round ").append(round).append(":");
        for (Path path : paths) {
          warm.append(String.format(" %s %,.0f;", path.shortName(), path.run().run(pairs).throughput()));
        }
      }
      System.out.println(warm);
      Map<String, LatencyRun.Result> rows = new LinkedHashMap<>();
      // CPU per pair is steadier than pairs/s on a shared machine: other processes take cores, not CPU seconds
      StringBuilder cpu = new StringBuilder("cpu per pair (µs; the 3 JVMs, for Redis this JVM + redis-server):");
      for (Path path : paths) {
        long before = cpuNanos(path.processes());
        LatencyRun.Result result = path.run().run(pairs);
        long after = cpuNanos(path.processes());
        rows.put(path.name(), result);
        if (before >= 0 && after >= 0) {
          cpu.append(String.format(" %s %.0f;", path.shortName(), (after - before) / 1000.0 / result.requests()));
        }
      }
      Table.print("sale-lock acquire+release pairs, 3 JVMs on this machine, " + inFlight + " in flight, " + pairs
          + " pairs each, after " + warmupRounds + " warm-up rounds of every path", rows);
      System.out.println(cpu);
      node.vertx().close().await();
    } finally {
      children.forEach(Process::destroyForcibly);
    }
    return 0;
  }

  interface Run {
    LatencyRun.Result run(int pairs) throws Exception;
  }

  /** One row: what it measures, and whose CPU time it costs. */
  private record Path(String name, String shortName, List<ProcessHandle> processes, Run run) {
  }

  /** Total CPU time of these processes so far; -1 where the OS doesn't tell. */
  private static long cpuNanos(List<ProcessHandle> processes) {
    long total = 0;
    for (ProcessHandle p : processes) {
      var cpu = p.info().totalCpuDuration();
      if (cpu.isEmpty()) {
        return -1;
      }
      total += cpu.get().toNanos();
    }
    return total;
  }

  /**
   * Our API as an app uses it: called from event loops (one context per event loop of the node, the in-flight
   * pairs spread over them), asynchronously. The anchors run on {@link #inFlight} blocking threads.
   */
  private LatencyRun.Result ourApi(ClusterNode node, SaleLocks locks, int total) throws Exception {
    return onEventLoops(node, total, n -> {
      long card = 1_000_000L + n;
      String lockRef = "bench-" + UUID.randomUUID().toString().replace("-", "");
      AcquireRequest request = AcquireRequest.of(List.of(card), "storefront", lockRef, null,
          Duration.ofSeconds(600), Duration.ofSeconds(3600));
      return locks.acquire(request).compose(held -> locks.release(lockRef, List.of(card)));
    });
  }

  /**
   * Not an anchor: the raw map's own async calls (putIfAbsent with TTL, then remove) driven exactly as our API is,
   * from the event loops, on the map configured like {@code sale-locks} (a sync and an async backup, the lockRef
   * index). What separates this row from ours is our code; what separates it from the anchor is the driving model
   * and the map's configuration.
   */
  private LatencyRun.Result rawAsync(ClusterNode node, IMap<Long, StoredLock> sameConfig, int total)
      throws Exception {
    var proxy = (com.hazelcast.map.impl.proxy.MapProxyImpl<Long, StoredLock>) sameConfig;
    return onEventLoops(node, total, n -> {
      long card = 8_000_000L + n;
      StoredLock value = SaleLock.fromJson(new io.vertx.core.json.JsonObject().put("cardId", card)
          .put("channel", "storefront").put("lockRef", "bench-raw-async").put("acquiredAt", "2026-01-01T00:00:00Z")
          .put("expiresAt", "2026-01-01T00:10:00Z")).toStored();
      return onContext(proxy.putIfAbsentAsync(card, value, 600, TimeUnit.SECONDS))
          .compose(x -> onContext(sameConfig.removeAsync(card)));
    });
  }

  /** Back to the caller's event loop as SaleLocks does it: inline on Hazelcast's thread, then runOnContext. */
  private static <T> Future<T> onContext(java.util.concurrent.CompletionStage<T> stage) {
    Context context = Vertx.currentContext();
    Promise<T> promise = Promise.promise();
    stage.whenCompleteAsync((v, e) -> context.runOnContext(x -> {
      if (e != null) {
        promise.fail(e);
      } else {
        promise.complete(v);
      }
    }), Runnable::run);
    return promise.future();
  }

  interface AsyncPair {
    Future<?> start(long n);
  }

  private LatencyRun.Result onEventLoops(ClusterNode node, int total, AsyncPair pair) throws Exception {
    int loops = Math.max(1, Math.min(inFlight, VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE));
    List<Context> contexts = new ArrayList<>();
    for (int i = 0; i < loops; i++) {
      // a fresh thread gets a fresh event-loop context (round robin over the event loops)
      Thread t = new Thread(() -> contexts.add(node.vertx().getOrCreateContext()));
      t.start();
      t.join();
    }
    Recorder recorder = new Recorder(3);
    AtomicLong sent = new AtomicLong();
    AtomicLong finished = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    Promise<Double> done = Promise.promise();
    long started = System.nanoTime();
    for (int slot = 0; slot < Math.min(inFlight, total); slot++) {
      Context context = contexts.get(slot % loops);
      context.runOnContext(v -> new Runnable() {
        @Override
        public void run() {
          long n = sent.getAndIncrement();
          if (n >= total) {
            return;
          }
          long t0 = System.nanoTime();
          pair.start(n).onComplete(ar -> {
            if (ar.succeeded()) {
              recorder.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
            } else {
              failures.incrementAndGet();
            }
            if (finished.incrementAndGet() == total) {
              done.complete((System.nanoTime() - started) / 1e9);
            }
            run();
          });
        }
      }.run());
    }
    double seconds = done.future().await();
    return new LatencyRun.Result(total, failures.get(), seconds, recorder.getIntervalHistogram());
  }

  private LatencyRun.Result rawImap(IMap<Long, HazelcastJsonValue> raw, int total) throws Exception {
    HazelcastJsonValue value = new HazelcastJsonValue("{\"lockRef\":\"bench\",\"channel\":\"storefront\"}");
    return threads(total, n -> {
      long card = 5_000_000L + n;
      raw.putIfAbsent(card, value, 600, TimeUnit.SECONDS);
      raw.remove(card);
    });
  }

  private LatencyRun.Result redis(int total) throws Exception {
    String[] hostPort = redis.split(":");
    JedisPoolConfig poolConfig = new JedisPoolConfig();
    poolConfig.setMaxTotal(inFlight);
    try (JedisPool pool = new JedisPool(poolConfig, hostPort[0], Integer.parseInt(hostPort[1]))) {
      SetParams nxpx = SetParams.setParams().nx().px(600_000);
      return threads(total, n -> {
        try (var jedis = pool.getResource()) {
          jedis.set("bench-lock:" + n, "{\"lockRef\":\"bench\"}", nxpx);
          jedis.del("bench-lock:" + n);
        }
      });
    }
  }

  interface Pair {
    void run(long n) throws Exception;
  }

  private LatencyRun.Result threads(int total, Pair pair) throws Exception {
    Recorder recorder = new Recorder(3);
    AtomicLong counter = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(inFlight);
    long started = System.nanoTime();
    List<java.util.concurrent.Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < inFlight; t++) {
      workers.add(pool.submit(() -> {
        long n;
        while ((n = counter.getAndIncrement()) < total) {
          long t0 = System.nanoTime();
          try {
            pair.run(n);
            recorder.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
          } catch (Exception e) {
            failures.incrementAndGet();
          }
        }
      }));
    }
    for (var w : workers) {
      w.get();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    pool.shutdownNow();
    return new LatencyRun.Result(total, failures.get(), seconds, recorder.getIntervalHistogram());
  }
}
