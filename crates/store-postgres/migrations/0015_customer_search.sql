-- Any word of a name, in any order, or the start of one ("Ива Мар" finds
-- «Иванова Мария Петровна»): the words of customers.search_name (lowercase,
-- ё as е) as a text search vector in a GIN index. 'simple' keeps words as
-- they are, with no language's stemming.
CREATE INDEX customers_name_words ON customers
    USING gin (to_tsvector('simple'::regconfig, search_name));

-- A survivor's history holds the receipts of the customers merged into it.
CREATE INDEX customers_merged_into ON customers (merged_into) WHERE merged_into IS NOT NULL;

-- The other customer of a merge, so the points history can name them. Not
-- a foreign key: under Citus that customer lives on another shard.
ALTER TABLE ledger_entries ADD COLUMN counterpart_id bigint;
