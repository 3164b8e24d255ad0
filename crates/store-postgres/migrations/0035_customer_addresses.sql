-- Where a customer is reached beyond their phone and e-mail: a device's push
-- token, a messenger's handle, registered by the shop's app or bot.
CREATE TABLE customer_addresses (
    customer_id bigint      NOT NULL,
    channel     text        COLLATE "C" NOT NULL,
    address     text        COLLATE "C" NOT NULL,
    label       text,
    added_at    timestamptz NOT NULL,
    CONSTRAINT customer_addresses_pkey PRIMARY KEY (customer_id, channel, address),
    CONSTRAINT customer_addresses_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id),
    CONSTRAINT customer_addresses_channel_check CHECK (channel IN ('push', 'messenger'))
);

-- A device or handle belongs to one customer at a time: kept unique here,
-- keyed by the address itself, as customer_keys keeps phones and e-mails.
CREATE TABLE address_keys (
    address     text   COLLATE "C" NOT NULL,
    channel     text   COLLATE "C" NOT NULL,
    customer_id bigint NOT NULL,
    CONSTRAINT address_keys_pkey PRIMARY KEY (address, channel)
);
