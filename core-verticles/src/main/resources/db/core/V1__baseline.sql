-- Core's own schema starts here; its tables arrive with their features (the outbox and inbox tables
-- come from cluster-config's shared migrations, tracked in flyway_common_history).
COMMENT ON SCHEMA public IS 'SlabTrack core';
