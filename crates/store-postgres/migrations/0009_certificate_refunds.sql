-- A return finds the certificates that paid its receipt.
CREATE INDEX certificate_movements_receipt ON certificate_movements (receipt_key)
    WHERE receipt_key IS NOT NULL;
