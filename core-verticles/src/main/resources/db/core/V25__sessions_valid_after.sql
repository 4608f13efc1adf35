-- Issue 12: a role change or a disable ends the user's existing sessions on every app. Tokens issued before this
-- instant are refused; core re-publishes recent instants to the cluster map slabtrack.sessions-valid-after.
ALTER TABLE users ADD COLUMN sessions_valid_after timestamptz NULL;

CREATE INDEX users_sessions_valid_after ON users (sessions_valid_after) WHERE sessions_valid_after IS NOT NULL;
