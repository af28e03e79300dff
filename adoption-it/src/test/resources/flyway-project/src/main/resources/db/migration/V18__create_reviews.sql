CREATE TABLE reviews (
    id bigserial PRIMARY KEY,
    product_id bigint NOT NULL REFERENCES products (id),
    rating smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
    body text
);
