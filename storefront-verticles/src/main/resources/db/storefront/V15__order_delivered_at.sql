-- shipped -> delivered (DOMAIN.md): when the parcel arrived, as the seller or an operator reports it (the carrier's
-- date when they have it, else the moment they marked it). Null until then.
ALTER TABLE orders ADD COLUMN delivered_at timestamptz NULL;
