-- The whole chain's figures by month, kept for the months whose receipts
-- are all in: a year of the sales report's visitors and of the cohorts,
-- asked of every customer, reads a few dozen rows rather than every
-- customer's months. The job counts them from customer_months, a closed
-- month at a time; they name no customer (aggregates, whole on every
-- server, as store_days).

-- A row for each month with customers' months. A round that adds to a
-- month, or moves a first purchase into it, counts a change on it and on
-- every later month (a customer's first month and first purchase shape
-- them all). The figures hold while `changes` is what they were counted
-- at (`counted`), their new customers read in the shop's time zone `zone`.
CREATE TABLE month_visitors (
    month           date   NOT NULL,
    changes         bigint NOT NULL,
    counted         bigint,
    zone            text,
    new_customers   bigint NOT NULL DEFAULT 0,
    loyal_customers bigint NOT NULL DEFAULT 0,
    other_customers bigint NOT NULL DEFAULT 0,
    CONSTRAINT month_visitors_pkey PRIMARY KEY (month)
);

-- Of the customers whose first month (over every store) is `cohort`, how
-- many bought in `month`: kept with the month's row above.
CREATE TABLE cohort_months (
    month     date   NOT NULL,
    cohort    date   NOT NULL,
    customers bigint NOT NULL,
    CONSTRAINT cohort_months_pkey PRIMARY KEY (month, cohort)
);

-- The months kept already, to be counted by the job.
INSERT INTO month_visitors (month, changes) SELECT DISTINCT month, 0 FROM customer_months;
