-- The log correlation ids of the request or message that enqueued a row (requestId, orderId, playId, claimId),
-- so the relay can hand them to the receiver in a bus header however much later it delivers the row, and one
-- claimId finds a sale's log lines in every app. Only ids, never payload data; null when there were none.
ALTER TABLE outbox ADD COLUMN correlation jsonb NULL;
