-- Forgot password: a reset link e-mailed through the outbox, its own kind of token (hashed
-- as "portico password reset", so it opens nothing else and nothing else opens it), used
-- once, good for an hour. `claim` names the request that used it, so the batch that sets
-- the password can find it (statements in a D1 batch cannot pass values along).
CREATE TABLE password_resets (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    token_hash  TEXT    NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER,
    claim       TEXT    UNIQUE
);
CREATE INDEX password_resets_by_user ON password_resets (user_id);

-- The outbox's link kinds gain 'password_reset'. SQLite cannot change a CHECK in place: the
-- table is made again as it was, with the wider check, and the view that reads it with it.
DROP VIEW member_standing;
CREATE TABLE outbox_new (
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
    sent_at           INTEGER,
    link_kind         TEXT    NOT NULL DEFAULT 'invitation'
                      CHECK (link_kind IN ('invitation', 'sign_up', 'password_reset')),
    batch_key         TEXT
);
INSERT INTO outbox_new (id, organisation_id, invitation_id, idempotency_key, to_email, from_name, from_email,
                        subject, text_body, html_body, sealed_token, status, attempts, next_attempt_at,
                        locked_until, claim, last_error, provider_id, created_at, sent_at, link_kind, batch_key)
SELECT id, organisation_id, invitation_id, idempotency_key, to_email, from_name, from_email,
       subject, text_body, html_body, sealed_token, status, attempts, next_attempt_at,
       locked_until, claim, last_error, provider_id, created_at, sent_at, link_kind, batch_key
FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_by_invitation ON outbox (invitation_id);
CREATE INDEX outbox_batches ON outbox (batch_key) WHERE batch_key IS NOT NULL;
CREATE INDEX outbox_retries ON outbox (next_attempt_at) WHERE status = 'pending' AND batch_key IS NOT NULL;
CREATE INDEX outbox_claims ON outbox (claim) WHERE status = 'sending';

CREATE VIEW member_standing AS
SELECT m.id AS member_id,
       iif(EXISTS (SELECT 1 FROM member_links l WHERE l.member_id = m.id),
           iif(EXISTS (SELECT 1 FROM member_links l JOIN users u ON u.id = l.user_id
                       WHERE l.member_id = m.id AND u.last_login_at > l.linked_at),
               'active', 'accepted'),
       iif(i.id IS NULL OR i.accepted_at IS NOT NULL,
           iif(EXISTS (SELECT 1 FROM contacts c
                       WHERE c.member_id = m.id AND c.removed_at IS NULL AND c.email IS NOT NULL),
               'not_invited', 'no_email'),
       iif(i.revoked_at IS NOT NULL, 'revoked',
       iif(i.declined_at IS NOT NULL, 'declined',
       iif(EXISTS (SELECT 1 FROM outbox o WHERE o.invitation_id = i.id AND o.status = 'dead'),
           'failed', 'invited'))))) AS standing,
       i.expires_at AS expires_at,
       coalesce(i.created_at, 0) AS invited_at,
       coalesce((SELECT max(u.last_login_at) FROM member_links l JOIN users u ON u.id = l.user_id
                 WHERE l.member_id = m.id), 0) AS login_at
FROM members m
LEFT JOIN invitations i ON i.id = (SELECT id FROM invitations WHERE member_id = m.id
                                   ORDER BY created_at DESC, id DESC LIMIT 1);
