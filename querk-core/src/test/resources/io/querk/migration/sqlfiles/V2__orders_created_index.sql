-- a plain index: Querk builds it concurrently
CREATE INDEX orders_created_idx ON orders (created_at);
