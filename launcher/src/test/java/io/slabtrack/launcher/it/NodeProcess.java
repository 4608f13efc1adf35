package io.slabtrack.launcher.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import io.slabtrack.cluster.testing.TestTokens;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One JVM started from the fat jar, with its own environment and a log file under target/it-logs. */
public final class NodeProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeProcess.class);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  /**
   * Every process started here and still running. A test that fails half-way (a fixture whose cluster never
   * formed, an aborted run) may never reach a close: this JVM's exit stops them, so no node outlives the run.
   */
  private static final Set<ProcessHandle> RUNNING = ConcurrentHashMap.newKeySet();
  /** How many times {@link #startOnFreshPorts} starts a process that keeps losing its ports. */
  static final int PORT_ATTEMPTS = 3;
  /** What a node prints once its HTTP server listens (after its Hazelcast port is bound and it has joined). */
  public static final String HTTP_LISTENING = "HTTP listening on";
  /** What a JVM prints when a port it binds is taken (Hazelcast, Vert.x, embedded PostgreSQL alike). */
  private static final String PORT_TAKEN = "Address already in use";
  /** How long the exit hook lets the nodes stop gracefully (SIGTERM) before it kills what is left. */
  private static final Duration EXIT_GRACE = Duration.ofSeconds(5);

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(NodeProcess::stopAllRunning, "node-process-reaper"));
  }

  private final String name;
  private final int httpPort;
  private final Process process;
  private final Path log;
  private final long startedNanos;
  /** The node's JWT secret, so probes can read the details of /ready (anonymous callers get only the outline). */
  private final String jwtSecret;
  private final Map<String, String> env;

  private NodeProcess(String name, int httpPort, Process process, Path log, long startedNanos, String jwtSecret,
                      Map<String, String> env) {
    this.jwtSecret = jwtSecret;
    this.env = Map.copyOf(env);
    this.name = name;
    this.httpPort = httpPort;
    this.process = process;
    this.log = log;
    this.startedNanos = startedNanos;
  }

  public static Path jar() {
    String jar = System.getProperty("slabtrack.jar.override",
        System.getProperty("slabtrack.jar", "target/slabtrack.jar"));
    Path path = Path.of(jar);
    if (!Files.exists(path)) {
      throw new IllegalStateException("fat jar not found at " + path + ": run the package phase first");
    }
    return path;
  }

  /** Starts {@code java -Xmx512m -jar slabtrack.jar <args>} with the given environment on top of ours. */
  public static NodeProcess start(String name, int httpPort, Map<String, String> env, String... args)
      throws IOException {
    return startAs(name, httpPort, env, List.of(), args);
  }

  /** Same, behind a command prefix (e.g. {@code runuser -u nobody --}). */
  public static NodeProcess startAs(String name, int httpPort, Map<String, String> env, List<String> prefix,
                                    String... args) throws IOException {
    Path logDir = Path.of("target", "it-logs");
    Files.createDirectories(logDir);
    Path log = logDir.resolve(name + "-" + System.currentTimeMillis() + ".log");
    List<String> command = new ArrayList<>(prefix);
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-XX:+UseSerialGC");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-jar");
    command.add(jar().toAbsolutePath().toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    Process process = pb.start();
    RUNNING.add(process.toHandle());
    process.onExit().thenRun(() -> RUNNING.remove(process.toHandle()));
    return new NodeProcess(name, httpPort, process, log, System.nanoTime(),
        pb.environment().getOrDefault("JWT_SECRET", TestTokens.DEV_SECRET), env);
  }

  /**
   * Starts a process and waits for it with {@code ready}; when it exits because a port it was given is taken,
   * starts it again (up to {@link #PORT_ATTEMPTS} times). The ports are picked by {@link Ports#free}, which closes
   * its socket before the process binds: another test JVM, or any outgoing connection, may take the port meanwhile.
   * {@code start} must pick new ones on each call. The node JVMs need that: their Hazelcast port cannot be 0 (every
   * member lists the others' ports) and their HTTP ports are in the others' public URLs.
   */
  public static NodeProcess startOnFreshPorts(Start start, Ready ready) throws Exception {
    for (int attempt = 1; ; attempt++) {
      NodeProcess node = start.start();
      try {
        ready.await(node);
        return node;
      } catch (PortTaken e) {
        node.close();
        if (attempt == PORT_ATTEMPTS) {
          throw e;
        }
        LOG.warn("{} lost a port to another process: starting it again on new ports", node.name());
      } catch (Exception | Error e) {
        node.close();
        throw e;
      }
    }
  }

  /** Starts a process on ports it picks anew on each call. */
  public interface Start {
    NodeProcess start() throws Exception;
  }

  /** Returns once the process has bound its ports (and whatever else the caller waits for). */
  public interface Ready {
    void await(NodeProcess node) throws Exception;
  }

  /** A process exited because a port it was to bind was taken: {@link #startOnFreshPorts} tries new ones. */
  public static final class PortTaken extends AssertionError {
    PortTaken(String message) {
      super(message);
    }
  }

  /** The exit hook: SIGTERM to every node still running, SIGKILL to those still there after the grace. */
  private static void stopAllRunning() {
    List<ProcessHandle> all = new ArrayList<>();
    for (ProcessHandle p : RUNNING) {
      all.addAll(withDescendants(p)); // a prefix (runuser) does not pass SIGKILL on: its JVM is signalled itself
    }
    all.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + EXIT_GRACE.toNanos();
    for (ProcessHandle p : all) {
      try {
        p.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        p.destroyForcibly();
      }
    }
  }

  /** The process and its descendants, listed before any is signalled (an orphan is nobody's descendant). */
  private static List<ProcessHandle> withDescendants(ProcessHandle p) {
    List<ProcessHandle> all = new ArrayList<>(p.descendants().toList());
    all.add(p);
    return all;
  }

  public String name() {
    return name;
  }

  public int httpPort() {
    return httpPort;
  }

  public String url(String path) {
    return "http://127.0.0.1:" + httpPort + path;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  public String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** GET returning status and body, or status -1 when nothing answers. */
  public Answer get(String path, String bearer) {
    try {
      HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(10)).GET();
      if (bearer != null) {
        rb.header("Authorization", "Bearer " + bearer);
      }
      HttpResponse<String> r = HTTP.send(rb.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.body());
    } catch (IOException e) {
      return new Answer(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(-1, "interrupted");
    }
  }

  /** Polls {@code /ready} until the predicate holds; fails with the node's log tail otherwise. */
  public Answer awaitReady(Predicate<Answer> condition, Duration timeout) throws InterruptedException {
    try {
      return io.slabtrack.cluster.testing.Poll.until(name + " ready", timeout, () -> {
        assertRunning("ready");
        return ready();
      }, condition);
    } catch (AssertionError e) {
      throw e.getCause() instanceof org.awaitility.core.ConditionTimeoutException
          ? new AssertionError(e.getMessage() + "\n" + tail(), e) : e;
    }
  }

  public Answer awaitMembers(int members, Duration timeout) throws InterruptedException {
    return awaitReady(a -> a.status() == 200 && a.members() == members, timeout);
  }

  /**
   * Waits until every node is ready with {@code members} members. Fails as soon as one of them has exited (with its
   * log), instead of waiting out the timeout on a node that waits for the dead one.
   */
  public static void awaitMembers(Collection<NodeProcess> nodes, int members, Duration timeout)
      throws InterruptedException {
    try {
      io.slabtrack.cluster.testing.Poll.until(nodes.size() + " nodes ready with " + members + " members", timeout,
          () -> {
            nodes.forEach(n -> n.assertRunning("the cluster formed"));
            return nodes.stream().map(NodeProcess::ready).allMatch(a -> a.status() == 200 && a.members() == members);
          });
    } catch (AssertionError e) {
      if (!(e.getCause() instanceof org.awaitility.core.ConditionTimeoutException)) {
        throw e;
      }
      StringBuilder logs = new StringBuilder(e.getMessage());
      for (NodeProcess n : nodes) { // what each node said last, to see which one kept the others waiting
        logs.append("\n--- ").append(n.name()).append(": /ready ").append(n.ready().status()).append('\n')
            .append(n.tail());
      }
      throw new AssertionError(logs.toString(), e);
    }
  }

  /** The node's {@code /ready}, with its details (read with a token of the node's secret). */
  public Answer ready() {
    return get("/ready", TestTokens.anyApp(jwtSecret));
  }

  /**
   * @throws AssertionError with the log tail when the process has exited before {@code what}; a {@link PortTaken}
   *     when it exited because a port it was given is taken
   */
  private void assertRunning(String what) {
    if (!process.isAlive()) {
      String message = name + " exited with " + process.exitValue() + " before " + what + ":\n" + tail();
      throw output().contains(PORT_TAKEN) ? new PortTaken(message) : new AssertionError(message);
    }
  }

  /** The value this process was given in its environment (e.g. a port its starter picked), or null. */
  public String env(String variable) {
    return env.get(variable);
  }

  public long millisSinceStart() {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }

  public int waitForExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(name + " still running after " + timeout + ":\n" + tail());
    }
    return process.exitValue();
  }

  /**
   * SIGKILL: no shutdown hook runs, the member just vanishes. Its descendants first (listed while they are still
   * ours): behind a prefix (runuser) the JVM is a child, and killing only the prefix would orphan it.
   */
  public void kill9() throws InterruptedException {
    for (ProcessHandle p : withDescendants(process.toHandle())) {
      p.destroyForcibly();
    }
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /**
   * SIGTERM: the graceful path. When the JVM runs behind a prefix (runuser), the JVM itself gets the signal, as
   * it would from a process supervisor; the prefix then exits with the JVM's status.
   */
  public int terminate(Duration timeout) throws InterruptedException {
    var jvm = process.descendants().filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
        .findFirst();
    if (jvm.isPresent()) {
      jvm.get().destroy();
    } else {
      process.destroy();
    }
    return waitForExit(timeout);
  }

  /** Polls this process's output until it contains the text (e.g. dev mode's "ready" line). */
  public void awaitOutput(String text, Duration timeout) throws InterruptedException {
    try {
      io.slabtrack.cluster.testing.Poll.until(name + " printing '" + text + "'", timeout, () -> {
        if (output().contains(text)) {
          return true;
        }
        assertRunning("printing '" + text + "'");
        return false;
      });
    } catch (AssertionError e) {
      throw e.getCause() instanceof org.awaitility.core.ConditionTimeoutException
          ? new AssertionError(e.getMessage() + "\n" + tail(), e) : e;
    }
  }

  public String tail() {
    String out = output();
    return out.length() > 6000 ? out.substring(out.length() - 6000) : out;
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive() || process.descendants().findAny().isPresent()) {
      kill9();
    }
  }

  public record Answer(int status, String body) {
    public JsonObject json() {
      return new JsonObject(body);
    }

    /** Members reported by the {@code cluster} readiness check, or -1. */
    public int members() {
      return check("cluster").map(c -> c.getJsonObject("data", new JsonObject()).getInteger("members", -1))
          .orElse(-1);
    }

    public java.util.Optional<JsonObject> check(String id) {
      if (status < 0 || body == null || !body.startsWith("{")) {
        return java.util.Optional.empty();
      }
      var checks = json().getJsonArray("checks");
      if (checks == null) {
        return java.util.Optional.empty();
      }
      for (Object c : checks) {
        JsonObject check = (JsonObject) c;
        if (id.equals(check.getString("id"))) {
          return java.util.Optional.of(check);
        }
      }
      return java.util.Optional.empty();
    }
  }
}
