-- Notes moved to the support system; the running version no longer reads them.
-- querk:contract
ALTER TABLE orders DROP COLUMN notes;
