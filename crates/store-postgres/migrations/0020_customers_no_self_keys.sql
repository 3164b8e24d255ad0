-- A customer's referrer and the customer they were merged into are other
-- customers, perhaps on other shards (Citus), where a foreign key between
-- them cannot be kept. The app checks a referrer exists; a merge names two
-- customers it has just read.
ALTER TABLE customers
    DROP CONSTRAINT customers_referrer_id_fkey,
    DROP CONSTRAINT customers_merged_into_fkey;
