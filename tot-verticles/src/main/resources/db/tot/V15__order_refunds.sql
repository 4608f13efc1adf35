-- Several partial refunds per order, up to the captured amount. A row is written before Stripe is called
-- ('pending': its amount is reserved and its Stripe idempotency key fixed), and completed with Stripe's refund id
-- after, so no connection is held over the network and a crash in between is finished by a retry with the same key.
CREATE TABLE order_refunds (
  request_key text        PRIMARY KEY,
  order_id    text        NOT NULL REFERENCES orders (id),
  amount      bigint      NOT NULL CHECK (amount > 0),
  status      text        NOT NULL CHECK (status IN ('pending', 'succeeded')),
  refund_id   text        UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (status = 'pending' OR refund_id IS NOT NULL)
);
CREATE INDEX order_refunds_order ON order_refunds (order_id);

-- The one refund an order could have before (Stripe key tot-refund-<orderId>). Its amount is the order's refunded
-- total, which is never more than what Stripe refunded, so the order's total (the larger of the rows' sum and what
-- the charge said) stays right.
INSERT INTO order_refunds (request_key, order_id, amount, status, refund_id)
SELECT 'tot-refund-' || id, id, refunded_cents, 'succeeded', refund_id FROM orders
WHERE refund_id IS NOT NULL AND refunded_cents > 0;
