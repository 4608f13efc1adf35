-- Why core took a card off a channel (the disengage's reason: operator, sold_elsewhere, reconciler); null while the
-- row is active and on rows switched off before this column existed. The reconciler reads it: a satellite's
-- leftover listing of a card the operator took off that channel is withdrawn, not re-engaged.
ALTER TABLE card_channels ADD COLUMN off_reason text NULL;
