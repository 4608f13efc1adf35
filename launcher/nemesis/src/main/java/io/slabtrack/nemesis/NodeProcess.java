package io.slabtrack.nemesis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** One node JVM ({@code java -jar slabtrack.jar node --app X}), restartable with the same environment. */
public final class NodeProcess {
  /**
   * Every node JVM started here and still running. A run that fails or is interrupted (Ctrl-C, a test timeout) may
   * never reach {@link Cluster#close}: this JVM's exit stops them, so no node outlives the run.
   */
  private static final Set<ProcessHandle> RUNNING = ConcurrentHashMap.newKeySet();
  /** How long the exit hook lets the nodes stop (SIGTERM) before it kills what is left. */
  private static final long EXIT_GRACE_MILLIS = 5_000;

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(NodeProcess::stopAllRunning, "nemesis-node-reaper"));
  }
  private final String name;
  private final String app;
  private final int index;
  private final List<String> command;
  private final Map<String, String> env;
  private final Path logDir;
  private Process process;
  private int starts;

  NodeProcess(String name, String app, int index, List<String> prefix, Path jar, Map<String, String> env,
              Path logDir) {
    this.name = name;
    this.app = app;
    this.index = index;
    this.env = env;
    this.logDir = logDir;
    List<String> cmd = new ArrayList<>(prefix);
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar",
        jar.toAbsolutePath().toString(), "node", "--app", app));
    this.command = List.copyOf(cmd);
  }

  public synchronized void start() throws IOException {
    Files.createDirectories(logDir);
    Path log = logDir.resolve(name + "-" + (++starts) + ".log");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    Process started = pb.start();
    RUNNING.add(started.toHandle());
    started.onExit().thenRun(() -> RUNNING.remove(started.toHandle()));
    process = started;
  }

  /** The exit hook: SIGTERM to every node still running, SIGKILL to those still there after the grace. */
  private static void stopAllRunning() {
    List<ProcessHandle> all = List.copyOf(RUNNING);
    all.forEach(ProcessHandle::destroy); // a paused node (SIGSTOP) ignores it: the SIGKILL after the grace does not
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(EXIT_GRACE_MILLIS);
    for (ProcessHandle p : all) {
      try {
        p.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        p.destroyForcibly();
      }
    }
  }

  public String name() {
    return name;
  }

  public String app() {
    return app;
  }

  public int index() {
    return index;
  }

  public String env(String key) {
    return env.get(key);
  }

  public synchronized boolean alive() {
    return process != null && process.isAlive();
  }

  /** The JVM's pid (behind an {@code ip netns exec} prefix, which execs, it is the same process). */
  public synchronized long pid() {
    return process.pid();
  }

  public synchronized void kill9() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  public void signal(String sig) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("kill", "-" + sig, String.valueOf(pid())).inheritIO().start();
    p.waitFor(5, TimeUnit.SECONDS);
  }
}
