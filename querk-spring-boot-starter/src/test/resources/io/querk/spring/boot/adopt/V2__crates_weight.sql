ALTER TABLE crates ADD COLUMN weight_g integer;
