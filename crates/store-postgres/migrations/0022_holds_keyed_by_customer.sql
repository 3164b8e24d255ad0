-- A hold is kept with its customer's account (on Citus, on the customer's
-- shard); the id a till is given is unique across the base in hold_ids,
-- keyed by that id, which also tells a release whose hold it is.
CREATE TABLE hold_ids (
    hold_id     text   NOT NULL,
    till_id     bigint NOT NULL,
    customer_id bigint NOT NULL,
    CONSTRAINT hold_ids_pkey PRIMARY KEY (hold_id)
);
INSERT INTO hold_ids (hold_id, till_id, customer_id)
SELECT hold_id, till_id, customer_id FROM holds;

ALTER TABLE holds
    DROP CONSTRAINT holds_hold_id_key,
    DROP CONSTRAINT holds_pkey,
    ADD CONSTRAINT holds_pkey PRIMARY KEY (customer_id, id),
    ADD CONSTRAINT holds_hold_id_key UNIQUE (customer_id, hold_id);
