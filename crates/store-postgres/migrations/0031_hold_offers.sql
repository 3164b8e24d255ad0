-- What a hold's offers reserve of their budgets: counted while the hold is
-- live (not used by a receipt, not released, not expired), so that tills
-- holding at once never promise more than a budget has. `local_date` is
-- the shop's day of the hold ('2026-12-05'), the day and month it counts
-- in. Kept under the customer, beside their holds.
CREATE TABLE hold_offers (
    customer_id    bigint      NOT NULL,
    hold_id        text        NOT NULL,
    offer_id       bigint      NOT NULL,
    discount_minor bigint      NOT NULL,
    points_accrued bigint      NOT NULL,
    local_date     text        COLLATE "C" NOT NULL,
    expires_at     timestamptz NOT NULL,
    CONSTRAINT hold_offers_pkey PRIMARY KEY (customer_id, hold_id, offer_id),
    CONSTRAINT hold_offers_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id),
    CONSTRAINT hold_offers_offer_id_fkey FOREIGN KEY (offer_id) REFERENCES offers (id)
);
CREATE INDEX hold_offers_offer ON hold_offers (offer_id, expires_at);
