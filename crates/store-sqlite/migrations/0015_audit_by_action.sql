-- The audit log searched by what was done (the print runs of cards, say).
CREATE INDEX audit_log_action ON audit_log (action, id);
