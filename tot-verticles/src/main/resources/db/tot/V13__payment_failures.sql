-- Declines are not final (the buyer may retry with another card) but the operator sees them.
ALTER TABLE plays ADD COLUMN payment_failures int NOT NULL DEFAULT 0;
ALTER TABLE plays ADD COLUMN last_payment_error text;
ALTER TABLE orders ADD COLUMN refund_id text;
ALTER TABLE orders ADD COLUMN shipped_at timestamptz;
