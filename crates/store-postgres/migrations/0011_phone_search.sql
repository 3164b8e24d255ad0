-- Any part of a phone ("4567", "912 34") found through the phone's
-- trigrams instead of by reading every customer. pg_trgm ships with
-- PostgreSQL and is a trusted extension: the database's owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX customers_phone_trigrams ON customers USING gin (phone gin_trgm_ops);
