-- A return of a receipt bought by a customer since merged into another
-- moves the survivor's points, who holds them now: its ledger entries are
-- the survivor's and name a receipt kept with the customer who bought it.
-- The entry's receipt is therefore no longer a foreign key (past one
-- server the two customers live on different shards anyway).
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_receipt_key_fkey;
