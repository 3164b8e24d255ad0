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
