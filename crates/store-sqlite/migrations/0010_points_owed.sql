-- The few customers who owe points (a return or an offline receipt took
-- more than they had), found without reading every account.
CREATE INDEX customer_loyalty_owing ON customer_loyalty (customer_id) WHERE debt > 0;
