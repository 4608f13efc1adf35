package io.slabtrack.core.imports;

/** SQL of background jobs (card imports). */
public final class ImportSql {
  private ImportSql() {
  }

  public static final String CREATE_JOB = """
      INSERT INTO jobs (id, kind, status, total, created_by, source_sha256)
      VALUES ($1, 'card_import', 'running', $2, $3, $4)
      RETURNING id, kind, status, total, processed, succeeded, failed, errors, message, created_at, finished_at""";

  /**
   * The earlier import of the same file ($1) that got furthest: finished, or running with a heartbeat older than $2
   * seconds (its node stopped; it may not have been read as failed yet). Its processed rows are committed.
   */
  public static final String EARLIER_RUN = """
      SELECT id, processed FROM jobs
      WHERE source_sha256 = $1 AND (status <> 'running' OR heartbeat_at < now() - $2::int * interval '1 second')
      ORDER BY processed DESC LIMIT 1""";

  /**
   * Adds one committed chunk's outcome (in the chunk's transaction): $2 processed, $3 succeeded, $4 failed, $5 errors
   * to append. Only while running: a job already failed as abandoned matches no row, and the chunk is rolled back.
   */
  public static final String PROGRESS = """
      UPDATE jobs SET processed = processed + $2, succeeded = succeeded + $3, failed = failed + $4,
        errors = errors || $5::jsonb, heartbeat_at = now() WHERE id = $1 AND status = 'running'""";

  public static final String HEARTBEAT = "UPDATE jobs SET heartbeat_at = now() WHERE id = $1 AND status = 'running'";

  /** Only a running job finishes: one already failed as abandoned keeps that verdict. */
  public static final String FINISH = """
      UPDATE jobs SET status = $2, message = $3, finished_at = now() WHERE id = $1 AND status = 'running'""";

  /**
   * A running job whose heartbeat is older than $2 seconds lost its node. Rows are committed in file order with
   * the job's counts, so {@code processed} is exactly where it stopped: the rows before it are settled (imported or
   * listed in errors), none from it on was imported.
   */
  public static final String FAIL_ABANDONED = """
      UPDATE jobs SET status = 'failed', finished_at = now(),
        message = 'the node running the import stopped at row ' || processed
          || '; rows before it were imported (except those listed in errors), rows from it on were not.'
          || ' Re-running the same, unchanged file imports only the rows not imported yet'
      WHERE id = $1 AND status = 'running' AND heartbeat_at < now() - $2::int * interval '1 second'""";

  public static final String GET = """
      SELECT id, kind, status, total, processed, succeeded, failed, errors, message, created_by, created_at, finished_at
      FROM jobs WHERE id = $1""";
}
