INSERT INTO products (sku, title, price_cents, stock) VALUES
    ('mug-01', 'Mug', 900, 40),
    ('tee-01', 'T-shirt', 1900, 25),
    ('cap-01', 'Cap', 1500, 10);
