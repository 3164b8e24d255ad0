-- What a hold's offers reserve of their budgets: counted while the hold is
-- live (not used by a receipt, not released, not expired), so that tills
-- holding at once never promise more than a budget has. `local_date` is
-- the shop's day of the hold ('2026-12-05'), the day and month it counts in.
CREATE TABLE hold_offers (
    customer_id    INTEGER NOT NULL REFERENCES customers (id),
    hold_id        TEXT    NOT NULL,
    offer_id       INTEGER NOT NULL REFERENCES offers (id),
    discount_minor INTEGER NOT NULL,
    points_accrued INTEGER NOT NULL,
    local_date     TEXT    NOT NULL,
    expires_at     INTEGER NOT NULL,
    PRIMARY KEY (customer_id, hold_id, offer_id)
) WITHOUT ROWID;
CREATE INDEX hold_offers_offer ON hold_offers (offer_id, expires_at);
