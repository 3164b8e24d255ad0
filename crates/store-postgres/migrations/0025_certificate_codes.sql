-- A gift certificate is kept by its own id with its movements, apart from
-- any customer (a bearer certificate has none); its code is unique across
-- the base in certificate_codes, keyed by the code, which a till's code is
-- read through first. Its customer is checked by the engine.
CREATE TABLE certificate_codes (
    code           text   NOT NULL,
    certificate_id bigint NOT NULL,
    CONSTRAINT certificate_codes_pkey PRIMARY KEY (code)
);
INSERT INTO certificate_codes (code, certificate_id) SELECT code, id FROM certificates;

ALTER TABLE certificate_movements
    DROP CONSTRAINT certificate_movements_certificate_id_fkey,
    DROP CONSTRAINT certificate_movements_customer_id_fkey,
    DROP CONSTRAINT certificate_movements_pkey,
    ADD CONSTRAINT certificate_movements_pkey PRIMARY KEY (certificate_id, id);
ALTER TABLE certificates
    DROP CONSTRAINT certificates_code_key,
    DROP CONSTRAINT certificates_customer_id_fkey;
ALTER TABLE certificate_movements
    ADD CONSTRAINT certificate_movements_certificate_id_fkey
        FOREIGN KEY (certificate_id) REFERENCES certificates (id);
DROP INDEX certificate_movements_certificate;
