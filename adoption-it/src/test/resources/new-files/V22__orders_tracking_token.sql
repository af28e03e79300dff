-- Every order gets a token for its public tracking link.
ALTER TABLE orders ADD COLUMN tracking_token uuid DEFAULT gen_random_uuid();
