-- The member list at 100,000 members: what it searches, filters and sorts by is kept on the
-- member row, so every list and count query is an index range.
--
-- name_key ("ada lovelace") and sort_key ("lovelace ada") are the name folded for search
-- (lower case, accents removed), written by the app with every name it writes: search is a
-- prefix of either, so "lov", "ada lov" and "lovelace a" all find her. Rows from before
-- this migration are folded by SQLite's lower(), ASCII letters only, until they are edited.
ALTER TABLE members ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
ALTER TABLE members ADD COLUMN sort_key TEXT NOT NULL DEFAULT '';
UPDATE members SET name_key = lower(first_name || ' ' || last_name),
                   sort_key = lower(last_name || ' ' || first_name);

-- The member's portal standing, decided by the view below; every write that can move it
-- ends its batch by recomputing it from the view (store::members::refresh_standing):
--   active       someone around the profile has a login and signed in after linking it
--   accepted     a login is linked, and no one signed in since accepting
--   failed       the latest invitation's e-mail could not be delivered
--   invited      the latest invitation is open: waiting until standing_expires_at, expired after
--   declined, revoked   the latest invitation was
--   no_email     no one around the profile has an e-mail on file
--   not_invited  otherwise
-- latest_invited_at and latest_login_at are 0 for never, so they sort and page as numbers.
ALTER TABLE members ADD COLUMN standing TEXT NOT NULL DEFAULT 'no_email';
ALTER TABLE members ADD COLUMN standing_expires_at INTEGER;
ALTER TABLE members ADD COLUMN latest_invited_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN latest_login_at INTEGER NOT NULL DEFAULT 0;

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

UPDATE members SET (standing, standing_expires_at, latest_invited_at, latest_login_at) =
    (SELECT standing, expires_at, invited_at, login_at FROM member_standing s WHERE s.member_id = members.id);

-- The list's orders (name A–Z; last login and invitation date newest first), each also
-- within one standing; the counts per standing; the name search. Archived members are
-- never listed, so they are not indexed.
DROP INDEX members_by_organisation;
CREATE INDEX members_by_name ON members (organisation_id, sort_key, id) WHERE archived_at IS NULL;
CREATE INDEX members_by_login ON members (organisation_id, latest_login_at, id) WHERE archived_at IS NULL;
CREATE INDEX members_by_invited ON members (organisation_id, latest_invited_at, id) WHERE archived_at IS NULL;
CREATE INDEX members_by_standing_name ON members (organisation_id, standing, sort_key, id) WHERE archived_at IS NULL;
CREATE INDEX members_by_standing_login ON members (organisation_id, standing, latest_login_at, id) WHERE archived_at IS NULL;
CREATE INDEX members_by_standing_invited ON members (organisation_id, standing, latest_invited_at, id) WHERE archived_at IS NULL;
CREATE INDEX members_by_standing_expiry ON members (organisation_id, standing, standing_expires_at) WHERE archived_at IS NULL;
CREATE INDEX members_by_full_name ON members (organisation_id, name_key) WHERE archived_at IS NULL;
CREATE INDEX contacts_by_email ON contacts (email) WHERE removed_at IS NULL;
