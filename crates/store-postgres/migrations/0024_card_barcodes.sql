-- A card is kept by its own id, apart from its customer (a card may have
-- none yet); its barcode is unique across the base in card_barcodes, keyed
-- by the barcode, which identify reads first. Keys that reach across (the
-- card's customer, the card it replaced, a receipt's card) are checked by
-- the engine: on Citus they span shards, where a foreign key cannot.
CREATE TABLE card_barcodes (
    barcode text   COLLATE "C" NOT NULL,
    card_id bigint NOT NULL,
    CONSTRAINT card_barcodes_pkey PRIMARY KEY (barcode)
);
INSERT INTO card_barcodes (barcode, card_id) SELECT barcode, id FROM cards;

ALTER TABLE receipts DROP CONSTRAINT receipts_card_id_fkey;
ALTER TABLE cards
    DROP CONSTRAINT cards_barcode_key,
    DROP CONSTRAINT cards_customer_id_fkey,
    DROP CONSTRAINT cards_replaced_by_fkey;
CREATE INDEX cards_barcode ON cards (barcode);
