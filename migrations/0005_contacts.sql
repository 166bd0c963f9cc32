-- The people around a profile. Each member has one contact for themself (is_self = 1: its
-- name is the member's, so first_name and last_name stay NULL) and any number of
-- representatives (a parent, a guardian, a bookkeeper), each with their own name, relation,
-- e-mail and portal access. The member's e-mail moves here, so it is kept in one place.
-- Invitations and links belong to a contact; bulk sends go to primary contacts only.
CREATE TABLE contacts (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members(id),
    is_self     INTEGER NOT NULL CHECK (is_self IN (0, 1)),
    first_name  TEXT,
    last_name   TEXT,
    relation    TEXT,
    email       TEXT,
    is_primary  INTEGER NOT NULL DEFAULT 1 CHECK (is_primary IN (0, 1)),
    created_at  INTEGER NOT NULL,
    removed_at  INTEGER,
    CHECK ((is_self = 1) = (first_name IS NULL AND last_name IS NULL AND relation IS NULL))
);
CREATE INDEX contacts_by_member ON contacts (member_id);
CREATE UNIQUE INDEX one_self_contact_per_member ON contacts (member_id) WHERE is_self = 1;

INSERT INTO contacts (member_id, is_self, email, created_at)
    SELECT id, 1, email, created_at FROM members;

ALTER TABLE invitations ADD COLUMN contact_id INTEGER REFERENCES contacts(id);
UPDATE invitations SET contact_id = (SELECT c.id FROM contacts c WHERE c.member_id = invitations.member_id);
CREATE INDEX invitations_by_contact ON invitations (contact_id, created_at);

ALTER TABLE member_links ADD COLUMN contact_id INTEGER REFERENCES contacts(id);
UPDATE member_links SET contact_id = (SELECT c.id FROM contacts c WHERE c.member_id = member_links.member_id);
CREATE UNIQUE INDEX one_login_per_contact ON member_links (contact_id);

ALTER TABLE members DROP COLUMN email;
