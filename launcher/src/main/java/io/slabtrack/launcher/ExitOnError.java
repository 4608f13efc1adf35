package io.slabtrack.launcher;

import io.slabtrack.cluster.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failed start into one clear line on stderr and a non-zero exit: configuration problems (exit 2) name
 * the variable; anything else (exit 1) says what failed, with the stack trace in the log.
 */
final class ExitOnError implements IExecutionExceptionHandler {
  static final int CONFIG_ERROR = 2;
  static final int START_FAILED = 1;

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
    Throwable root = rootCause(e);
    if (root instanceof ConfigException) {
      cmd.getErr().println("error: " + root.getMessage());
      return CONFIG_ERROR;
    }
    org.slf4j.LoggerFactory.getLogger(ExitOnError.class).error("start failed", e);
    cmd.getErr().println("error: " + root.getClass().getSimpleName() + ": " + root.getMessage());
    return START_FAILED;
  }

  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t && !(t instanceof ConfigException)) {
      t = t.getCause();
    }
    return t;
  }
}
