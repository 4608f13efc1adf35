package io.slabtrack.core.users;

import io.slabtrack.cluster.auth.DisabledUsers;
import io.slabtrack.cluster.auth.Role;
import io.slabtrack.cluster.auth.SessionsValidAfter;
import io.slabtrack.cluster.http.ApiErrors;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.StreamSupport;

/**
 * Users in core's database, and the cluster-wide maps kept in step with them: every change of the disabled flag,
 * and the sessions-valid-after instant a role change or a disable sets, is published right after it commits, so
 * the other apps refuse the account's older sessions within moments.
 */
public final class UserStore {
  private static final String UNIQUE_VIOLATION = "23505";

  private final Pool pool;
  private final DisabledUsers disabledUsers;
  private final SessionsValidAfter sessionsValidAfter;

  public UserStore(Pool pool, DisabledUsers disabledUsers, SessionsValidAfter sessionsValidAfter) {
    this.pool = pool;
    this.disabledUsers = disabledUsers;
    this.sessionsValidAfter = sessionsValidAfter;
  }

  public Future<List<User>> list(long afterId, int limit) {
    return pool.preparedQuery(UserSql.LIST).execute(Tuple.of(afterId, limit)).map(UserStore::users);
  }

  public Future<Optional<User>> byId(long id) {
    return pool.preparedQuery(UserSql.BY_ID).execute(Tuple.of(id)).map(rows -> first(rows));
  }

  public Future<Optional<User>> byEmail(String normalizedEmail) {
    return pool.preparedQuery(UserSql.BY_EMAIL).execute(Tuple.of(normalizedEmail)).map(rows -> first(rows));
  }

  /** 409 {@code email_taken} when the address already has an account. */
  public Future<User> create(String email, String displayName, Set<Role> roles) {
    return pool.preparedQuery(UserSql.INSERT).execute(row(email, displayName, roles))
        .map(rows -> User.from(rows.iterator().next()))
        .recover(e -> e instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())
            ? Future.failedFuture(ApiErrors.conflict("email_taken", "A user with this email already exists"))
            : Future.failedFuture(e));
  }

  /** Null arguments leave a field as it is; empty when there is no such user. */
  public Future<Optional<User>> patch(long id, Set<Role> roles, Boolean disabled, String displayName) {
    Tuple params = Tuple.tuple().addLong(id).addArrayOfString(roles == null ? null : claims(roles))
        .addBoolean(disabled).addString(displayName);
    return pool.preparedQuery(UserSql.PATCH).execute(params).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(Optional.empty());
      }
      Row row = rows.iterator().next();
      User user = User.from(row);
      Future<Void> published = disabled == null ? Future.succeededFuture() : publishDisabled(user);
      OffsetDateTime validAfter = row.getOffsetDateTime("sessions_valid_after");
      // the revocation goes out before the answer: once the operator sees 200, old tokens are being refused
      return published
          .compose(x -> validAfter == null ? Future.succeededFuture()
              : sessionsValidAfter.set(user.subject(), validAfter.toInstant()))
          .map(Optional.of(user));
    });
  }

  /** After a verified code: the account of this address, created as a buyer if it is new. */
  public Future<User> signIn(String normalizedEmail) {
    return pool.preparedQuery(UserSql.SIGN_IN).execute(Tuple.of(normalizedEmail))
        .map(rows -> User.from(rows.iterator().next()));
  }

  /** Idempotent: the second call finds the address taken and changes nothing. */
  public Future<Void> seed(String email, String displayName, Set<Role> roles) {
    return pool.preparedQuery(UserSql.SEED).execute(row(email, displayName, roles)).mapEmpty();
  }

  /**
   * Re-publishes the disabled set and the recent sessions-valid-after instants from the database (start-up, which
   * refills the maps after a full cluster restart, and the periodic repair of a publish lost after its commit).
   */
  public Future<Void> publishRevocations() {
    Future<Void> disabled = pool.preparedQuery(UserSql.DISABLED_IDS).execute()
        .compose(rows -> {
          Set<String> ids = new HashSet<>();
          rows.forEach(r -> ids.add(Long.toString(r.getLong("id"))));
          return disabledUsers.replaceAll(ids);
        });
    return disabled.compose(x -> pool.preparedQuery(UserSql.RECENT_SESSIONS_VALID_AFTER)
        .execute(Tuple.of((double) SessionsValidAfter.KEEP.toSeconds()))
        .compose(rows -> {
          Map<String, Instant> instants = new HashMap<>();
          rows.forEach(r -> instants.put(Long.toString(r.getLong("id")),
              r.getOffsetDateTime("sessions_valid_after").toInstant()));
          return sessionsValidAfter.replaceAll(instants);
        }));
  }

  private Future<Void> publishDisabled(User user) {
    return user.disabled() ? disabledUsers.disable(user.subject()) : disabledUsers.enable(user.subject());
  }

  /** Built explicitly: {@code Tuple.of} would spread an array parameter into several. */
  private static Tuple row(String email, String displayName, Set<Role> roles) {
    return Tuple.tuple().addString(email).addString(displayName).addArrayOfString(claims(roles));
  }

  private static String[] claims(Set<Role> roles) {
    return roles.stream().sorted().map(Role::claim).toArray(String[]::new);
  }

  private static Optional<User> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(User.from(rows.iterator().next()));
  }

  private static List<User> users(RowSet<Row> rows) {
    return StreamSupport.stream(rows.spliterator(), false).map(User::from).toList();
  }
}
