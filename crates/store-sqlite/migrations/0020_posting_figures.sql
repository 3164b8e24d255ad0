-- A receipt keeps its answer without the posting's figures, and the
-- figures beside it; a return keeps what it did. The app renders the
-- answers from them, the first time and on every replay. Rows kept before
-- have no figures: their `answer` is the whole answer still.
ALTER TABLE receipts ADD COLUMN points_available INTEGER;
ALTER TABLE returns ADD COLUMN done TEXT;
