-- Message templates: what a campaign or a trigger says, with placeholders
-- filled for each customer when the message leaves.
CREATE TABLE message_templates (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE,
    locale     TEXT    NOT NULL,
    subject    TEXT,
    body       TEXT    NOT NULL,
    html       TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1
);

-- Campaigns: one message to an audience, queued when the campaign starts.
CREATE TABLE campaigns (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL UNIQUE,
    template_id  INTEGER NOT NULL REFERENCES message_templates (id),
    -- The channels to try, in order: 'email,sms'.
    channels     TEXT    NOT NULL,
    -- What it says, copied from the template when it was made: a template
    -- edited later does not change a campaign on its way.
    locale       TEXT    NOT NULL,
    subject      TEXT,
    body         TEXT    NOT NULL,
    html         TEXT,
    -- None: every customer not merged into another.
    segment_id   INTEGER REFERENCES segments (id),
    offer_id     INTEGER REFERENCES offers (id),
    -- A user limited to stores reaches only customers registered in them.
    stores       TEXT,
    holdout_bp   INTEGER NOT NULL DEFAULT 0 CHECK (holdout_bp BETWEEN 0 AND 5000),
    -- Queued messages wait this long after the start: a campaign started
    -- by mistake is cancelled before anything leaves.
    cancel_window_mins INTEGER NOT NULL CHECK (cancel_window_mins >= 0),
    report_days  INTEGER NOT NULL CHECK (report_days > 0),
    starts_at    INTEGER NOT NULL,
    state        TEXT    NOT NULL,
    -- How many customers it was queued for, and how many held out.
    recipients   INTEGER NOT NULL DEFAULT 0,
    held_out     INTEGER NOT NULL DEFAULT 0,
    queued_at    INTEGER,
    cancelled_at INTEGER,
    created_at   INTEGER NOT NULL,
    author_id    INTEGER REFERENCES staff_users (id)
);
CREATE INDEX campaigns_due ON campaigns (starts_at) WHERE state = 'scheduled';

ALTER TABLE messages ADD COLUMN campaign_id INTEGER REFERENCES campaigns (id);
-- When the customer unsubscribed by this message's link.
ALTER TABLE messages ADD COLUMN unsubscribed_at INTEGER;
-- A campaign reaches a customer once, however often its queueing resumes.
CREATE UNIQUE INDEX messages_campaign_customer ON messages (customer_id, campaign_id)
    WHERE campaign_id IS NOT NULL;
CREATE INDEX messages_campaign ON messages (campaign_id, state, reason)
    WHERE campaign_id IS NOT NULL;

-- Triggers: a message sent by itself on an occasion in a customer's life,
-- one of each kind, in its template's words as they are when it leaves.
CREATE TABLE triggers (
    id           INTEGER PRIMARY KEY,
    kind         TEXT    NOT NULL UNIQUE,
    template_id  INTEGER NOT NULL REFERENCES message_templates (id),
    channels     TEXT    NOT NULL,
    -- Win-back: days without a purchase; points expiring: days ahead.
    days         INTEGER,
    active       INTEGER NOT NULL CHECK (active IN (0, 1)),
    -- Occasions before this are not sent: switching a trigger on does not
    -- greet the whole base.
    activated_at INTEGER,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1
);

ALTER TABLE messages ADD COLUMN trigger_id INTEGER REFERENCES triggers (id);
-- What the message is sent on ('welcome', 'birthday:2026', ...): once per
-- customer and occasion, however often the scan or the job runs.
ALTER TABLE messages ADD COLUMN occasion TEXT;
CREATE UNIQUE INDEX messages_occasion ON messages (customer_id, occasion)
    WHERE occasion IS NOT NULL;

-- The first-purchase trigger's scan: a customer's first purchase is
-- written once, so the index costs the tills nothing after it.
CREATE INDEX customer_loyalty_first_purchase ON customer_loyalty (first_purchase_at)
    WHERE first_purchase_at IS NOT NULL;

-- The tier each customer was last told about: a tier trigger compares it
-- with the tier they have now.
CREATE TABLE customer_tier_seen (
    customer_id INTEGER PRIMARY KEY REFERENCES customers (id),
    tier_id     INTEGER REFERENCES tiers (id)
);

-- Each channel's provider and settings (secrets included), as the console
-- saves them; `webhook_key` proves a delivery report came from there.
CREATE TABLE channel_settings (
    channel     TEXT    PRIMARY KEY,
    settings    TEXT    NOT NULL,
    webhook_key TEXT    NOT NULL,
    updated_at  INTEGER NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
) WITHOUT ROWID;

-- A provider's id of a message it took, to find the message its delivery
-- report names.
CREATE TABLE message_provider_ids (
    channel     TEXT    NOT NULL,
    provider_id TEXT    NOT NULL,
    customer_id INTEGER NOT NULL,
    message_id  INTEGER NOT NULL,
    PRIMARY KEY (provider_id, channel)
) WITHOUT ROWID;

-- When a message sent over a channel that reports delivery goes on to its
-- next channel unless delivered first (Viber, then SMS).
ALTER TABLE messages ADD COLUMN cascade_at INTEGER;
CREATE INDEX messages_cascade ON messages (cascade_at) WHERE state = 'sent';

-- Chats: a thread per customer, opened when they write first, and its
-- messages both ways (an answer also leaves through the outbox).
CREATE TABLE chat_threads (
    customer_id INTEGER PRIMARY KEY REFERENCES customers (id),
    channel     TEXT    NOT NULL,
    address     TEXT    NOT NULL,
    opened_at   INTEGER NOT NULL,
    last_at     INTEGER NOT NULL,
    -- The thread's last message, either way, for the inbox.
    last_text   TEXT    NOT NULL,
    -- The customer's last message not answered yet; NULL: answered.
    waiting_since INTEGER,
    open        INTEGER NOT NULL CHECK (open IN (0, 1))
);
CREATE INDEX chat_threads_open ON chat_threads (last_at) WHERE open = 1;

CREATE TABLE chat_messages (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    direction   TEXT    NOT NULL,
    channel     TEXT    NOT NULL,
    text        TEXT    NOT NULL,
    at          INTEGER NOT NULL,
    author_id   INTEGER REFERENCES staff_users (id),
    -- An answer's message in the outbox.
    message_id  INTEGER
);
CREATE INDEX chat_messages_customer ON chat_messages (customer_id, id);

-- A store's time zone: its customers' quiet hours and caps count in it
-- (none: its parent's, else the shop's).
ALTER TABLE stores ADD COLUMN time_zone TEXT;

-- What each trigger's messages made lately, for the triggers' page.
CREATE INDEX messages_trigger ON messages (trigger_id, created_at) WHERE trigger_id IS NOT NULL;
