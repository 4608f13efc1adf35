-- The reconciler pages the plays still in progress by lock_ref (tot.reconcile.checkouts): a partial index keeps
-- that walk to the few open plays however many finished ones pile up.
CREATE INDEX plays_in_progress_lock_ref ON plays (lock_ref) WHERE status IN ('COMMITTED', 'AWAITING_CONFIRMATION');
