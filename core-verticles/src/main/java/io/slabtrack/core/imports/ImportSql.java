package io.slabtrack.core.imports;

/** SQL of background jobs (card imports). */
public final class ImportSql {
  private ImportSql() {
  }

  public static final String CREATE_JOB = """
      INSERT INTO jobs (id, kind, status, total, processed, failed, errors, created_by)
      VALUES ($1, 'card_import', 'running', $2, $3, $3, $4, $5)
      RETURNING id, kind, status, total, processed, succeeded, failed, errors, message, created_at, finished_at""";

  /** Adds one chunk's outcome: $2 processed, $3 succeeded, $4 failed, $5 errors to append. */
  public static final String PROGRESS = """
      UPDATE jobs SET processed = processed + $2, succeeded = succeeded + $3, failed = failed + $4,
        errors = errors || $5::jsonb WHERE id = $1""";

  public static final String FINISH = """
      UPDATE jobs SET status = $2, message = $3, finished_at = now() WHERE id = $1""";

  public static final String GET = """
      SELECT id, kind, status, total, processed, succeeded, failed, errors, message, created_at, finished_at
      FROM jobs WHERE id = $1""";
}
