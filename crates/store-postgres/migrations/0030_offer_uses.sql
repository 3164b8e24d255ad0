-- What offers gave at the till. A single-use coupon is marked used by the
-- receipt that redeemed it (and freed by a return of that whole receipt);
-- each receipt's part of each offer is kept under its customer (split by
-- customer past one server); the offers' budgets are counted per offer in
-- all, per local day and per month ('all', '2026-12-05', '2026-12'), split
-- by offer.
ALTER TABLE coupons
    ADD COLUMN used_at timestamptz,
    ADD COLUMN used_by bigint;

CREATE TABLE offer_uses (
    customer_id    bigint      NOT NULL,
    offer_id       bigint      NOT NULL,
    receipt_key    bigint      NOT NULL,
    discount_minor bigint      NOT NULL,
    points_accrued bigint      NOT NULL,
    coupon_code    text        COLLATE "C",
    used_at        timestamptz NOT NULL,
    CONSTRAINT offer_uses_pkey PRIMARY KEY (customer_id, offer_id, receipt_key),
    CONSTRAINT offer_uses_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id),
    CONSTRAINT offer_uses_offer_id_fkey FOREIGN KEY (offer_id) REFERENCES offers (id)
);
CREATE INDEX offer_uses_offer ON offer_uses (offer_id, used_at);
CREATE INDEX offer_uses_receipt ON offer_uses (customer_id, receipt_key);

CREATE TABLE offer_budgets (
    offer_id       bigint NOT NULL,
    period         text   COLLATE "C" NOT NULL,
    points_given   bigint NOT NULL,
    discount_given bigint NOT NULL,
    CONSTRAINT offer_budgets_pkey PRIMARY KEY (offer_id, period),
    CONSTRAINT offer_budgets_offer_id_fkey FOREIGN KEY (offer_id) REFERENCES offers (id)
);
