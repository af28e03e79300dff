CREATE INDEX reviews_product_id_idx ON reviews (product_id);
