-- Per organisation: whether people may sign up at its portal without an invitation (off by
-- default), what happens when a verified sign-up or an accepted invitation carries the
-- e-mail of a profile contact ('always': linked at once, 'ask': staff confirm in Link
-- requests, 'never'), and whether the add-representative form sends the invitation at once.
ALTER TABLE organisations ADD COLUMN self_sign_up INTEGER NOT NULL DEFAULT 0 CHECK (self_sign_up IN (0, 1));
ALTER TABLE organisations ADD COLUMN auto_link TEXT NOT NULL DEFAULT 'ask' CHECK (auto_link IN ('always', 'ask', 'never'));
ALTER TABLE organisations ADD COLUMN invite_at_once INTEGER NOT NULL DEFAULT 1 CHECK (invite_at_once IN (0, 1));

-- A sign-up waiting for its e-mail address to be proved. The password is hashed at once;
-- nothing else is made until the link (its token hashed, typed apart from invitations) is
-- used. Single use: verified_at is set by the guarded UPDATE that consumes it.
CREATE TABLE sign_ups (
    id               INTEGER PRIMARY KEY,
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
    email            TEXT    NOT NULL,
    password_hash    TEXT    NOT NULL,
    token_hash       TEXT    NOT NULL UNIQUE,
    created_at       INTEGER NOT NULL,
    expires_at       INTEGER NOT NULL,
    verified_at      INTEGER,
    claim            TEXT UNIQUE
);

-- A login asking to be linked to a contact with the same e-mail, for staff to approve or
-- reject (auto_link = 'ask').
CREATE TABLE link_requests (
    id               INTEGER PRIMARY KEY,
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
    user_id          INTEGER NOT NULL REFERENCES users(id),
    contact_id       INTEGER NOT NULL REFERENCES contacts(id),
    created_at       INTEGER NOT NULL,
    decided_at       INTEGER,
    decided_by       INTEGER REFERENCES users(id),
    approved         INTEGER CHECK (approved IN (0, 1))
);
CREATE INDEX link_requests_open ON link_requests (organisation_id, decided_at);

-- Which page the e-mail's link opens: an invitation, or a sign-up's confirmation.
ALTER TABLE outbox ADD COLUMN link_kind TEXT NOT NULL DEFAULT 'invitation' CHECK (link_kind IN ('invitation', 'sign_up'));
