-- Connect's account.updated events arrive in any order: keep the `created` second of the event that last set the
-- flags, and apply an event only when it is not older.
ALTER TABLE storefronts ADD COLUMN stripe_account_synced_at bigint NOT NULL DEFAULT 0;
