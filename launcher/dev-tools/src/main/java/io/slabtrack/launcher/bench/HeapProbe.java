package io.slabtrack.launcher.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Heap after a full GC of another JVM, measured from outside like an operator would: {@code jcmd <pid> GC.run}, then
 * {@code jcmd <pid> GC.heap_info} ("garbage-first heap total …K, used …K"). What stays after a full GC is what the
 * app retains; growth of it over a steady load is a leak.
 */
final class HeapProbe {
  private static final Pattern USED = Pattern.compile("heap\\s+total\\s+(\\d+)K,\\s+used\\s+(\\d+)K");

  private HeapProbe() {
  }

  /** @return MB used after a full GC, or -1 when jcmd could not tell */
  static double afterFullGcMb(long pid) {
    try {
      jcmd(pid, "GC.run");
      Matcher m = USED.matcher(jcmd(pid, "GC.heap_info"));
      return m.find() ? Long.parseLong(m.group(2)) / 1024.0 : -1;
    } catch (Exception e) {
      return -1;
    }
  }

  /** Resident set size of the process in MB (Linux /proc), or -1. */
  static double rssMb(long pid) {
    try {
      for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (Exception e) {
      // not Linux: no RSS figure
    }
    return -1;
  }

  static String jcmd(long pid, String command) throws Exception {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    Process p = new ProcessBuilder(jcmd, String.valueOf(pid), command).redirectErrorStream(true).start();
    StringBuilder out = new StringBuilder();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      r.lines().forEach(l -> out.append(l).append('\n'));
    }
    p.waitFor();
    return out.toString();
  }
}
