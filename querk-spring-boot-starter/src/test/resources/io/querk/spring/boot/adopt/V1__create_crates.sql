CREATE TABLE crates (id bigint PRIMARY KEY, label text NOT NULL);
