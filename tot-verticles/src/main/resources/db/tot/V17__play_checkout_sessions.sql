-- A play pays either with a PaymentIntent the API client confirms (Stripe Elements: 'elements', client_secret) or
-- on a Stripe-hosted Checkout page ('checkout'). A Checkout Session creates its PaymentIntent only when the buyer
-- pays, so a checkout play's payment_intent_id stays NULL until the webhook (or the reconciler) records it.
ALTER TABLE plays ADD COLUMN payment_mode text NOT NULL DEFAULT 'elements'
  CHECK (payment_mode IN ('elements', 'checkout'));
ALTER TABLE plays ADD COLUMN checkout_session_id text UNIQUE;
ALTER TABLE plays ADD COLUMN checkout_url text;
ALTER TABLE plays ADD CONSTRAINT plays_checkout_has_session
  CHECK (payment_mode = 'elements' OR checkout_session_id IS NOT NULL);
