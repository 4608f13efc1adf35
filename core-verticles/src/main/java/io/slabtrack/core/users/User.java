package io.slabtrack.core.users;

import io.slabtrack.cluster.auth.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Set;

/** A row of {@code users}, as the operator API shows it and as sessions are minted from it. */
public record User(long id, String email, String displayName, Set<Role> roles, boolean disabled,
                   OffsetDateTime createdAt, OffsetDateTime updatedAt, OffsetDateTime lastLoginAt) {

  public User {
    roles = Set.copyOf(roles);
  }

  /** The {@code sub} claim of this user's sessions. */
  public String subject() {
    return Long.toString(id);
  }

  static User from(Row row) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String r : row.getArrayOfStrings("roles")) {
      Role.fromClaim(r).ifPresent(roles::add);
    }
    return new User(row.getLong("id"), row.getString("email"), row.getString("display_name"), roles,
        row.getBoolean("disabled"), row.getOffsetDateTime("created_at"), row.getOffsetDateTime("updated_at"),
        row.getOffsetDateTime("last_login_at"));
  }

  public JsonObject toJson() {
    JsonArray roleNames = new JsonArray();
    roles.stream().sorted().forEach(r -> roleNames.add(r.claim()));
    return new JsonObject()
        .put("id", id)
        .put("email", email)
        .put("displayName", displayName)
        .put("roles", roleNames)
        .put("disabled", disabled)
        .put("createdAt", iso(createdAt))
        .put("updatedAt", iso(updatedAt))
        .put("lastLoginAt", iso(lastLoginAt));
  }

  private static String iso(OffsetDateTime t) {
    return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC).toInstant().toString();
  }
}
