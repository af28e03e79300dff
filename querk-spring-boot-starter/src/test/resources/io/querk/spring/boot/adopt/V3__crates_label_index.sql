CREATE INDEX crates_label_idx ON crates (label);
