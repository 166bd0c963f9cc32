-- Message templates (002): an organisation's own words for invitations, chosen on the
-- invite page and on group sends. The body may use {first_name} and {organisation}.
CREATE TABLE message_templates (
    id                INTEGER PRIMARY KEY,
    organisation_id   INTEGER NOT NULL REFERENCES organisations(id),
    name              TEXT    NOT NULL,
    subject_addition  TEXT,
    body              TEXT    NOT NULL,
    created_at        INTEGER NOT NULL,
    archived_at       INTEGER
);
CREATE INDEX message_templates_by_organisation ON message_templates (organisation_id, name);

-- Added to the invitation e-mail's subject line (from a template), kept so a resend says
-- the same.
ALTER TABLE invitations ADD COLUMN subject_addition TEXT;
