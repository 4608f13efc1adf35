-- Enqueueing no longer NOTIFYs: PostgreSQL serialises the commits of every transaction that issued a NOTIFY
-- in a database, which capped claims and publishes at ~150 commits/s. The enqueueing node now wakes its own
-- relay after commit (Outbox.WAKE_ADDRESS); other nodes' relays poll. A replayed dead letter still notifies.
DROP TRIGGER outbox_notify_insert ON outbox;
