-- Staff and roles. Owners and administrators invite staff by e-mail with a token of its own
-- kind (hashed as "portico staff invitation": it opens no member invitation, and no other
-- token opens it), choose their role, and may limit what they see to chosen members or
-- groups. Who may do what by role is in domain/role.rs; no one grants a role above their
-- own, and the last owner stays.
CREATE TABLE staff_invitations (
    id               INTEGER PRIMARY KEY,
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
    email            TEXT    NOT NULL,
    name             TEXT    NOT NULL,
    role             TEXT    NOT NULL
                     CHECK (role IN ('owner', 'administrator', 'security_administrator', 'staff')),
    token_hash       TEXT    NOT NULL UNIQUE,
    invited_by       INTEGER NOT NULL REFERENCES users(id),
    created_at       INTEGER NOT NULL,
    expires_at       INTEGER NOT NULL,
    accepted_at      INTEGER,
    accepted_user_id INTEGER REFERENCES users(id),
    revoked_at       INTEGER,
    -- Names the request that used it, for the rest of its batch (as invitations.claim).
    claim            TEXT    UNIQUE
);
CREATE INDEX staff_invitations_by_organisation ON staff_invitations (organisation_id, created_at);

-- What a staff login that does not see every member (staff.all_members = 0) was given: a
-- member, or a group (then every member in it, as the group changes). Replaces
-- staff_member_access, which could only hold members.
CREATE TABLE staff_access (
    user_id    INTEGER NOT NULL REFERENCES users(id),
    member_id  INTEGER REFERENCES members(id),
    group_id   INTEGER REFERENCES groups(id),
    CHECK ((member_id IS NULL) <> (group_id IS NULL))
);
CREATE UNIQUE INDEX staff_access_members ON staff_access (user_id, member_id) WHERE member_id IS NOT NULL;
CREATE UNIQUE INDEX staff_access_groups ON staff_access (user_id, group_id) WHERE group_id IS NOT NULL;
CREATE INDEX staff_access_by_member ON staff_access (member_id) WHERE member_id IS NOT NULL;
INSERT INTO staff_access (user_id, member_id) SELECT user_id, member_id FROM staff_member_access;
DROP TABLE staff_member_access;

-- The outbox's link kinds gain 'staff_invitation' (made again as in 0013, with its view).
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
                      CHECK (link_kind IN ('invitation', 'sign_up', 'password_reset', 'staff_invitation')),
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
