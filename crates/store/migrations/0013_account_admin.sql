-- An account's lock after too many failed logins, kept in the database so
-- that it outlives a restart of the server and holds for every server
-- process: NULL when the account is not locked (RFC 3339 otherwise).
ALTER TABLE users ADD COLUMN locked_until TEXT;
