-- People who sign in to the ecosystem (issue 5). Core's database is the truth about users; the satellites only
-- ever see them as session claims, plus the cluster-wide disabled-user map core keeps in step with this table.
CREATE TABLE users (
  id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- stored lowercased and trimmed by the app; the check keeps anyone from sneaking in a second spelling
  email         text        NOT NULL CHECK (email = lower(btrim(email)) AND length(email) BETWEEN 3 AND 254),
  display_name  text        NOT NULL DEFAULT '' CHECK (length(display_name) <= 100),
  roles         text[]      NOT NULL DEFAULT '{buyer}'
                            CHECK (roles <@ ARRAY['operator', 'vendor', 'buyer']::text[]),
  disabled      boolean     NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  last_login_at timestamptz NULL
);

-- one account per address, whatever the case it is typed in
CREATE UNIQUE INDEX users_email_ci ON users (lower(email));
-- core re-publishes this set to the cluster at start and every half minute
CREATE INDEX users_disabled ON users (id) WHERE disabled;
