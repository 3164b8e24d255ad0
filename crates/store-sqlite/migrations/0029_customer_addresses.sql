-- Where a customer is reached beyond their phone and e-mail: a device's push
-- token, a messenger's handle, registered by the shop's app or bot.
CREATE TABLE customer_addresses (
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    channel     TEXT    NOT NULL CHECK (channel IN ('push', 'messenger')),
    address     TEXT    NOT NULL,
    label       TEXT,
    added_at    INTEGER NOT NULL,
    PRIMARY KEY (customer_id, channel, address)
);

-- A device or handle belongs to one customer at a time: kept unique here,
-- keyed by the address itself, as customer_keys keeps phones and e-mails.
CREATE TABLE address_keys (
    address     TEXT    NOT NULL,
    channel     TEXT    NOT NULL,
    customer_id INTEGER NOT NULL,
    PRIMARY KEY (address, channel)
);
