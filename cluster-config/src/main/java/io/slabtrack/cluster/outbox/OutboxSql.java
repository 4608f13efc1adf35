package io.slabtrack.cluster.outbox;

/** Every SQL statement of the outbox/inbox mechanism, in one place ({@code $n} parameters, preparedQuery). */
final class OutboxSql {
  private OutboxSql() {
  }

  static final String ROW_COLUMNS = "id, event_id, aggregate, address, payload, reply_handler, status, attempts,"
      + " next_attempt_at, last_error, created_at, delivered_at, reply, failures, holds_aggregate, correlation";

  /** A duplicate event id means the caller retried an enqueue that already happened: not an error. */
  static final String ENQUEUE = "INSERT INTO outbox (event_id, aggregate, address, payload, reply_handler,"
      + " correlation) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (event_id) DO NOTHING";

  /** {@link #ENQUEUE} of many rows in one statement, ids in array order (ORDER BY the ordinality). */
  static final String ENQUEUE_ALL = "INSERT INTO outbox (event_id, aggregate, address, payload, reply_handler,"
      + " correlation) SELECT e, g, a, p, h, c FROM unnest($1::uuid[], $2::text[], $3::text[], $4::jsonb[],"
      + " $5::text[], $6::jsonb[]) WITH ORDINALITY AS m(e, g, a, p, h, c, n) ORDER BY n"
      + " ON CONFLICT (event_id) DO NOTHING";

  /**
   * The head (lowest pending id) of each aggregate, when it is due, leased to this relay in the same statement: its
   * {@code next_attempt_at} moves past the lease, so other relays find it not due while the NOT EXISTS still sees it
   * pending, and that aggregate's later rows wait: in order per aggregate, and never one row with two relays while
   * the lease runs (a head another relay is leasing right now is skipped by SKIP LOCKED, and re-checked against its
   * new {@code next_attempt_at} once that relay committed). A dead row blocks nothing, unless it holds its
   * aggregate (an address where order matters, {@link RelayOptions#holdingAddresses()}). {@code = ANY (ARRAY(…))},
   * not {@code IN (…)}: the planner made IN a hash join over a sequential scan of the whole table, delivered history
   * included, on every claim; an array of ids is looked up in the primary key.
   */
  static final String CLAIM = "UPDATE outbox SET next_attempt_at = clock_timestamp() + interval '%d milliseconds'"
      + " WHERE id = ANY (ARRAY(SELECT o.id FROM outbox o"
      + " WHERE o.status = 'pending' AND o.next_attempt_at <= now()"
      + " AND NOT EXISTS (SELECT 1 FROM outbox e"
      + "   WHERE e.aggregate = o.aggregate AND e.status = 'pending' AND e.id < o.id)"
      + " AND NOT EXISTS (SELECT 1 FROM outbox d"
      + "   WHERE d.aggregate = o.aggregate AND d.status = 'dead' AND d.holds_aggregate AND d.id < o.id)"
      + " ORDER BY o.id LIMIT %d FOR UPDATE SKIP LOCKED))"
      + " RETURNING " + ROW_COLUMNS;

  /**
   * The claim as plain SQL (simple protocol), planned afresh on every run. As a prepared statement PostgreSQL
   * caches a generic plan made while the outbox was nearly empty; after a burst (a 20,000-card commit enqueues
   * 40,000 messages) that plan's anti-join scanned the table once per row and one claim ran for minutes, stalling
   * delivery. A fresh plan sees the table as it is (a few tens of ms for 40,000 pending rows).
   */
  static String claim(int limit, long leaseMillis) {
    return String.format(java.util.Locale.ROOT, CLAIM, leaseMillis, limit);
  }

  /**
   * {@link #CLAIM} of the heads, plus up to {@code followers} of each head's next rows (in id order), so a pass can
   * deliver several rows of an aggregate one after the other without claiming again ({@link RelayBatch}). Followers
   * are read, not leased: nobody else can claim them while their head is pending, and the head stays pending until
   * the pass records its outcomes. A follower is any later row that is pending or holds its aggregate dead (the
   * relay cuts the chain there, and at a row not due, with a reply handler, or public). Heads with a reply handler
   * get no followers. Columns: {@link #ROW_COLUMNS}, {@code head}, {@code due}.
   */
  static String claimChains(int limit, long leaseMillis, int followers) {
    String headsCte = String.format(java.util.Locale.ROOT, CLAIM, leaseMillis, limit);
    String fColumns = java.util.Arrays.stream(ROW_COLUMNS.split(","))
        .map(c -> "f." + c.strip()).collect(java.util.stream.Collectors.joining(", "));
    return "WITH heads AS (" + headsCte + ")"
        + " SELECT " + ROW_COLUMNS + ", true AS head, true AS due FROM heads"
        + (followers < 1 ? "" : " UNION ALL SELECT " + fColumns + ", false, f.next_attempt_at <= now()"
        // the pending and the holding-dead followers apart, each the head of its partial index's range: an OR of the
        // two can only be a bitmap scan, which claimChainsUnbitmapped rules out
        + " FROM heads h CROSS JOIN LATERAL (SELECT * FROM ("
        + "(SELECT * FROM outbox x WHERE x.aggregate = h.aggregate AND x.id > h.id AND x.status = 'pending'"
        + " ORDER BY x.id LIMIT " + followers + ")"
        + " UNION ALL (SELECT * FROM outbox x WHERE x.aggregate = h.aggregate AND x.id > h.id AND x.status = 'dead'"
        + " AND x.holds_aggregate ORDER BY x.id LIMIT " + followers + ")) u ORDER BY u.id LIMIT " + followers
        + ") f WHERE h.reply_handler IS NULL");
  }

  /**
   * {@link #claimChains} run with bitmap scans off (one simple query: the SET LOCAL holds for the claim's implicit
   * transaction only; its rows are the query's second result). A delivered or re-leased row leaves its old entries in
   * the partial indexes on pending rows until VACUUM, and the outbox churns fast (three row versions per message):
   * during {@code bench claims} PostgreSQL's slow log showed claims of ~20 ms (1.9 s of the database's time in 4 s),
   * and on a copy of that database after 300 such deliver rounds the pending index held ~39,000 entries for 64
   * pending rows, each claim's bitmap scans going to the heap for every one of them, again and again. A plain index
   * scan marks an entry it finds dead, so the next claim skips it without touching the heap: 6,900 buffers a claim
   * down to 2,800 on that copy, and the claim no longer grows with the history between two vacuums.
   */
  static String claimChainsUnbitmapped(int limit, long leaseMillis, int followers) {
    return "SET LOCAL enable_bitmapscan = off; " + claimChains(limit, leaseMillis, followers);
  }

  // Outcomes only for rows still pending: one that another relay delivered after our lease ran out stays as it is.
  static final String MARK_DELIVERED = "UPDATE outbox SET status = 'delivered', delivered_at = clock_timestamp(),"
      + " reply = $2, attempts = attempts + 1, last_error = NULL WHERE id = $1 AND status = 'pending'";

  static final String MARK_ALL_DELIVERED = "UPDATE outbox o SET status = 'delivered',"
      + " delivered_at = clock_timestamp(), reply = d.reply, attempts = o.attempts + 1, last_error = NULL"
      + " FROM unnest($1::bigint[], $2::jsonb[]) AS d(id, reply) WHERE o.id = d.id AND o.status = 'pending'";

  static final String MARK_RETRY = "UPDATE outbox SET attempts = attempts + 1,"
      + " next_attempt_at = clock_timestamp() + $2::int * interval '1 millisecond', last_error = $3, failures = $4"
      + " WHERE id = $1 AND status = 'pending'";

  static final String MARK_DEAD = "UPDATE outbox SET status = 'dead', attempts = attempts + 1, last_error = $2,"
      + " failures = $3, holds_aggregate = $4 WHERE id = $1 AND status = 'pending'";

  static final String BEGIN = "BEGIN";
  static final String COMMIT = "COMMIT";
  static final String ROLLBACK = "ROLLBACK";

  // Savepoints isolate one row's reply handler from the rest of the batch (one bad row undoes only itself).
  static final String SAVEPOINT = "SAVEPOINT outbox_row";
  static final String RELEASE_SAVEPOINT = "RELEASE SAVEPOINT outbox_row";
  static final String ROLLBACK_TO_SAVEPOINT = "ROLLBACK TO SAVEPOINT outbox_row";

  static final String COUNTS = "SELECT count(*) FILTER (WHERE status = 'pending') AS pending,"
      + " count(*) FILTER (WHERE status = 'pending' AND attempts > 0) AS retrying,"
      + " count(*) FILTER (WHERE status = 'dead') AS dead,"
      + " count(*) FILTER (WHERE status = 'delivered') AS delivered FROM outbox";

  static final String LATEST = "SELECT " + ROW_COLUMNS + " FROM outbox"
      + " WHERE status = ANY($1::text[]) AND attempts >= $2 ORDER BY id DESC LIMIT $3";

  /** The trigger on status notifies the relays, so a replayed row goes out without waiting for a poll. */
  static final String REPLAY = "UPDATE outbox SET status = 'pending', attempts = 0, failures = 0,"
      + " holds_aggregate = false, next_attempt_at = now() WHERE id = $1 AND status = 'dead' RETURNING " + ROW_COLUMNS;

  /** The operator gives up on a dead message that holds its aggregate: it stays dead, the rest go on. */
  static final String RELEASE_AGGREGATE = "UPDATE outbox SET holds_aggregate = false"
      + " WHERE id = $1 AND status = 'dead' AND holds_aggregate RETURNING " + ROW_COLUMNS;

  static final String STATUS_OF = "SELECT status FROM outbox WHERE id = $1";

  /** Inserting first claims the event id: a concurrent duplicate waits on the key until this one commits. */
  static final String INBOX_CLAIM = "INSERT INTO inbox (event_id, address, sender) VALUES ($1, $2, $3)"
      + " ON CONFLICT (event_id) DO NOTHING";

  /**
   * {@link #INBOX_CLAIM} for a batch, $3 each event's sender: the ids it returns are the new ones (a duplicate in flight elsewhere waits on
   * its key until that transaction ends, as for one event).
   */
  static final String INBOX_CLAIM_ALL = "INSERT INTO inbox (event_id, address, sender)"
      + " SELECT e, $2, s FROM unnest($1::uuid[], $3::text[]) AS t(e, s) ON CONFLICT (event_id) DO NOTHING"
      + " RETURNING event_id";

  static final String INBOX_REPLIES_OF = "SELECT event_id, reply, sender FROM inbox WHERE event_id = ANY($1::uuid[])";

  static final String INBOX_STORE_REPLIES = "UPDATE inbox i SET reply = d.reply"
      + " FROM unnest($1::uuid[], $2::jsonb[]) AS d(id, reply) WHERE i.event_id = d.id";

  /** A batch's events that failed leave no trace: the sender's retry applies them afresh. */
  static final String INBOX_FORGET_ALL = "DELETE FROM inbox WHERE event_id = ANY($1::uuid[])";

  static final String INBOX_STORE_REPLY = "UPDATE inbox SET reply = $2 WHERE event_id = $1";

  static final String INBOX_REPLY_OF = "SELECT reply, sender FROM inbox WHERE event_id = $1";
}
