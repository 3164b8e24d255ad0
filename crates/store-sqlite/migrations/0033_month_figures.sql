-- The whole chain's figures by month, kept for the months whose receipts
-- are all in: a year of the sales report's visitors and of the cohorts,
-- asked of every customer, reads a few dozen rows rather than every
-- customer's months. The job counts them from customer_months, a closed
-- month at a time; they name no customer (aggregates, as store_days).

-- A row for each month with customers' months. A round that adds to a
-- month, or moves a first purchase into it, counts a change on it and on
-- every later month (a customer's first month and first purchase shape
-- them all). The figures hold while `changes` is what they were counted
-- at (`counted`), their new customers read in the shop's time zone `zone`.
CREATE TABLE month_visitors (
    month           TEXT    NOT NULL PRIMARY KEY,
    changes         INTEGER NOT NULL,
    counted         INTEGER,
    zone            TEXT,
    new_customers   INTEGER NOT NULL DEFAULT 0,
    loyal_customers INTEGER NOT NULL DEFAULT 0,
    other_customers INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- Of the customers whose first month (over every store) is `cohort`, how
-- many bought in `month`: kept with the month's row above.
CREATE TABLE cohort_months (
    month     TEXT    NOT NULL,
    cohort    TEXT    NOT NULL,
    customers INTEGER NOT NULL,
    PRIMARY KEY (month, cohort)
) WITHOUT ROWID;

-- The months kept already, to be counted by the job.
INSERT INTO month_visitors (month, changes) SELECT DISTINCT month, 0 FROM customer_months;
