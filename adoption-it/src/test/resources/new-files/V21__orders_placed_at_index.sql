-- Reports list recent orders: index them by when they were placed.
CREATE INDEX orders_placed_at_idx ON orders (placed_at);
