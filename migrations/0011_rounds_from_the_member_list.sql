-- Invitation rounds sent from the member list ("Invite selected", "Send all") as well as to
-- a group's owners, planned first and sent in chunks: each chunk is one atomic batch, and a
-- retry (a double submit, a network error, a Worker out of its request's budget) sends only
-- what is still waiting, so no one is invited twice.
--
-- What the round was sent to, in words staff read ("Not yet registered, search “gar”").
ALTER TABLE bulk_sends ADD COLUMN description TEXT NOT NULL DEFAULT '';
-- The message template its invitations use (NULL: none), for the chunks sent later.
ALTER TABLE bulk_sends ADD COLUMN template_id INTEGER REFERENCES message_templates(id);
-- Set once every person's outcome is written (to invite, or skipped and why): from then on
-- the round is never planned again, only sent.
ALTER TABLE bulk_sends ADD COLUMN planned_at INTEGER;
-- Set when no one planned is left waiting.
ALTER TABLE bulk_sends ADD COLUMN completed_at INTEGER;
UPDATE bulk_sends SET planned_at = created_at, completed_at = created_at,
    description = coalesce((SELECT 'Owners of ' || g.name FROM groups g WHERE g.id = bulk_sends.group_id), '');

-- Each chunk of a round's sending claims its first person in its own batch. Two requests
-- sending the same round at once (a double submit) cannot both write a chunk: the second
-- batch fails whole, and that request goes on with whoever is still waiting.
CREATE TABLE bulk_send_chunks (
    bulk_send_id      INTEGER NOT NULL REFERENCES bulk_sends(id),
    first_contact_id  INTEGER NOT NULL,
    PRIMARY KEY (bulk_send_id, first_contact_id)
);

-- A result with neither an invitation nor a reason is a person still waiting to be invited.
CREATE INDEX bulk_send_results_waiting ON bulk_send_results (bulk_send_id, contact_id)
    WHERE invitation_id IS NULL AND skipped_because IS NULL;
CREATE INDEX bulk_sends_by_organisation ON bulk_sends (organisation_id, created_at);
