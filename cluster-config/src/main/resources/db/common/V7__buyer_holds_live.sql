-- The hold settler (BuyerLimits' HoldSettler) walks the live holds every few seconds: an index on expiry keeps that
-- walk to the live ones instead of a day of expired rows.
CREATE INDEX buyer_holds_live ON buyer_holds (expires_at);
