-- Every order gets a token for its public tracking link.
ALTER TABLE orders ADD COLUMN tracking_token uuid;
ALTER TABLE orders ALTER COLUMN tracking_token SET DEFAULT gen_random_uuid();

-- querk:backfill batch-size=500
UPDATE orders SET tracking_token = gen_random_uuid() WHERE tracking_token IS NULL;
