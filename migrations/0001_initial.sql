-- The one schema, applied by sqlx::migrate! (server) and `wrangler d1 migrations apply` (edge).
-- Times are unix seconds (INTEGER); ids are INTEGER so they survive JavaScript numbers.

CREATE TABLE organisations (
    id                        INTEGER PRIMARY KEY,
    name                      TEXT    NOT NULL,
    sender_name               TEXT    NOT NULL,
    sender_email              TEXT    NOT NULL,
    invitation_validity_days  INTEGER NOT NULL DEFAULT 30
                              CHECK (invitation_validity_days BETWEEN 1 AND 365),
    created_at                INTEGER NOT NULL
);

-- A login. Its e-mail is stored normalised (trimmed, lower case).
CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    email           TEXT    NOT NULL UNIQUE,
    password_hash   TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    last_login_at   INTEGER,
    disabled_at     INTEGER
);

CREATE TABLE staff (
    user_id          INTEGER NOT NULL REFERENCES users(id),
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
    role             TEXT    NOT NULL
                     CHECK (role IN ('owner', 'administrator', 'security_administrator', 'staff')),
    -- 1: sees every member of the organisation; 0: only those in staff_member_access.
    all_members      INTEGER NOT NULL DEFAULT 1 CHECK (all_members IN (0, 1)),
    PRIMARY KEY (user_id, organisation_id)
);

CREATE TABLE members (
    id               INTEGER PRIMARY KEY,
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
    first_name       TEXT    NOT NULL,
    last_name        TEXT    NOT NULL,
    email            TEXT,
    phone            TEXT,
    address          TEXT,
    staff_notes      TEXT,
    archived_at      INTEGER,
    created_at       INTEGER NOT NULL
);
CREATE INDEX members_by_organisation ON members (organisation_id, last_name, first_name);

CREATE TABLE staff_member_access (
    user_id    INTEGER NOT NULL REFERENCES users(id),
    member_id  INTEGER NOT NULL REFERENCES members(id),
    PRIMARY KEY (user_id, member_id)
);

CREATE TABLE member_links (
    user_id        INTEGER NOT NULL REFERENCES users(id),
    member_id      INTEGER NOT NULL REFERENCES members(id),
    relation       TEXT    NOT NULL DEFAULT 'self' CHECK (relation IN ('self', 'representative')),
    invitation_id  INTEGER REFERENCES invitations(id),
    linked_at      INTEGER NOT NULL,
    PRIMARY KEY (user_id, member_id)
);
CREATE INDEX member_links_by_member ON member_links (member_id);

CREATE TABLE invitations (
    id                INTEGER PRIMARY KEY,
    organisation_id   INTEGER NOT NULL REFERENCES organisations(id),
    member_id         INTEGER NOT NULL REFERENCES members(id),
    email             TEXT    NOT NULL,
    -- SHA-256 of the raw token, hex. The raw token is never stored.
    token_hash        TEXT    NOT NULL UNIQUE,
    personal_message  TEXT,
    sent_by           INTEGER NOT NULL REFERENCES users(id),
    created_at        INTEGER NOT NULL,
    expires_at        INTEGER NOT NULL,
    accepted_at       INTEGER,
    accepted_user_id  INTEGER REFERENCES users(id),
    revoked_at        INTEGER,
    declined_at       INTEGER,
    -- Per-request nonce written by the guarded UPDATE that consumes the token; the rest of
    -- the accept batch selects through it, so a failed guard makes the batch a no-op.
    claim             TEXT UNIQUE
);
CREATE INDEX invitations_by_member ON invitations (member_id, created_at);

-- E-mail waiting to be sent. `sealed_token` holds the invitation token encrypted with the
-- server's secret key (never in clear) until the message is sent or given up on.
CREATE TABLE outbox (
    id                INTEGER PRIMARY KEY,
    organisation_id   INTEGER NOT NULL REFERENCES organisations(id),
    invitation_id     INTEGER REFERENCES invitations(id),
    idempotency_key   TEXT    NOT NULL UNIQUE,
    to_email          TEXT    NOT NULL,
    from_name         TEXT    NOT NULL,
    from_email        TEXT    NOT NULL,
    subject           TEXT    NOT NULL,
    text_body         TEXT    NOT NULL,
    html_body         TEXT    NOT NULL,
    sealed_token      TEXT,
    status            TEXT    NOT NULL DEFAULT 'pending'
                      CHECK (status IN ('pending', 'sending', 'sent', 'dead')),
    attempts          INTEGER NOT NULL DEFAULT 0,
    next_attempt_at   INTEGER NOT NULL,
    locked_until      INTEGER,
    claim             TEXT,
    last_error        TEXT,
    provider_id       TEXT,
    created_at        INTEGER NOT NULL,
    sent_at           INTEGER
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_by_invitation ON outbox (invitation_id);

-- Sessions: the cookie holds a random id, the table its SHA-256.
CREATE TABLE sessions (
    id_hash       TEXT    PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    created_at    INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- What the dev mailer "sent": listed at /dev/mailbox in dev mode.
CREATE TABLE dev_mailbox (
    id               INTEGER PRIMARY KEY,
    idempotency_key  TEXT    NOT NULL UNIQUE,
    to_email         TEXT    NOT NULL,
    from_header      TEXT    NOT NULL,
    subject          TEXT    NOT NULL,
    text_body        TEXT    NOT NULL,
    html_body        TEXT    NOT NULL,
    received_at      INTEGER NOT NULL
);
