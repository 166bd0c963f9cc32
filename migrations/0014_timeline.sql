-- The timeline: what happened to each member's invitations and portal access — who did it
-- and when — and to the organisation's settings (member_id NULL). Each event is written in
-- the same batch as what it records, and never changed or deleted afterwards.
--
-- kind: invited, resent, reinvited (after a decline), emailed (handed to the e-mail
-- service), delivery_failed, accepted, declined, revoked, unlinked, settings_changed.
-- actor_user_id: the staff login that did it; NULL for the member themself (from their
-- link) or the system (the outbox). detail: the address, a reason, what changed.
CREATE TABLE events (
    id               INTEGER PRIMARY KEY,
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
    member_id        INTEGER REFERENCES members(id),
    contact_id       INTEGER REFERENCES contacts(id),
    kind             TEXT    NOT NULL,
    actor_user_id    INTEGER REFERENCES users(id),
    detail           TEXT,
    at               INTEGER NOT NULL
);
CREATE INDEX events_by_member ON events (member_id, at);
CREATE INDEX events_of_organisation ON events (organisation_id, at) WHERE member_id IS NULL;

CREATE TRIGGER events_are_never_changed BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'the timeline is append-only');
END;
CREATE TRIGGER events_are_never_deleted BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'the timeline is append-only');
END;
