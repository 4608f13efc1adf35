-- The reconciler's checkouts snapshot pages the orders still in progress by lockRef: a partial index keeps each page
-- an index range scan over the few open checkouts instead of every order ever placed.
CREATE INDEX orders_in_progress ON orders (lock_ref) WHERE state IN ('pending', 'awaiting_confirmation');
