-- The points report reads the points moved other than by a receipt
-- (expired, given by hand, on a birthday, for a referral) by their time;
-- the index holds only those kinds, so a till's commit never writes it.
CREATE INDEX ledger_entries_movements ON ledger_entries (created_at)
    WHERE kind IN ('expiry', 'manual', 'birthday', 'referral');
