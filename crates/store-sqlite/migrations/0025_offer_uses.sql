-- What offers gave at the till. A single-use coupon is marked used by the
-- receipt that redeemed it (and freed by a return of that whole receipt);
-- each receipt's part of each offer is kept under its customer; the
-- offers' budgets are counted per offer in all, per local day and per
-- month ('all', '2026-12-05', '2026-12').
ALTER TABLE coupons ADD COLUMN used_at INTEGER;
ALTER TABLE coupons ADD COLUMN used_by INTEGER;

CREATE TABLE offer_uses (
    customer_id    INTEGER NOT NULL REFERENCES customers (id),
    offer_id       INTEGER NOT NULL REFERENCES offers (id),
    receipt_key    INTEGER NOT NULL REFERENCES receipts (id),
    discount_minor INTEGER NOT NULL,
    points_accrued INTEGER NOT NULL,
    coupon_code    TEXT,
    used_at        INTEGER NOT NULL,
    PRIMARY KEY (customer_id, offer_id, receipt_key)
) WITHOUT ROWID;
CREATE INDEX offer_uses_offer ON offer_uses (offer_id, used_at);
CREATE INDEX offer_uses_receipt ON offer_uses (receipt_key);

CREATE TABLE offer_budgets (
    offer_id       INTEGER NOT NULL REFERENCES offers (id),
    period         TEXT    NOT NULL,
    points_given   INTEGER NOT NULL,
    discount_given INTEGER NOT NULL,
    PRIMARY KEY (offer_id, period)
) WITHOUT ROWID;
