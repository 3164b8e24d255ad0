-- The account is read and locked by the engine's own statements: Citus
-- cannot plan an SQL function's parameterised queries over distributed
-- tables.
DROP FUNCTION locked_account(bigint, timestamptz);
DROP FUNCTION account_rows(bigint, timestamptz);
DROP TYPE account_row;
