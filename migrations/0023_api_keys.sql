-- Keys other systems use for /api/v1, made by the owner or an administrator. Only a hash of
-- the key is kept (the key is shown once); `prefix` is its first characters, to tell keys
-- apart in the list and recognise a leaked one.
CREATE TABLE api_keys (
    id               INTEGER PRIMARY KEY,
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
    name             TEXT    NOT NULL,
    may_write        INTEGER NOT NULL,
    prefix           TEXT    NOT NULL,
    key_hash         TEXT    NOT NULL UNIQUE,
    created_by       INTEGER NOT NULL REFERENCES users(id),
    created_at       INTEGER NOT NULL,
    last_used_at     INTEGER,
    revoked_at       INTEGER
);
CREATE INDEX api_keys_of_organisation ON api_keys (organisation_id, created_at);

-- A POST with an `Idempotency-Key` header: the first request's answer, kept 24 hours, so a
-- retry gets it again and nothing is done twice. `status` is NULL while the first request is
-- being answered.
CREATE TABLE api_idempotency (
    key_id           INTEGER NOT NULL REFERENCES api_keys(id),
    idempotency_key  TEXT    NOT NULL,
    request_digest   TEXT    NOT NULL,
    status           INTEGER,
    body             TEXT,
    location         TEXT,
    created_at       INTEGER NOT NULL,
    PRIMARY KEY (key_id, idempotency_key)
);

-- The API's timeline since a cursor (`GET /api/v1/events?after=`): an organisation's events
-- in the order they were written.
CREATE INDEX events_in_order ON events (organisation_id, id);
