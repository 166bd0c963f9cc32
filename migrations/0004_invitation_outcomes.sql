-- Declining the portal: by the member from the invitation page (declined_by NULL), or
-- recorded by staff from what the member told them (their login), with an optional reason.
ALTER TABLE invitations ADD COLUMN declined_by INTEGER REFERENCES users(id);
ALTER TABLE invitations ADD COLUMN decline_reason TEXT;
-- 1: staff invited the member again after the member had declined ("Reinvite").
ALTER TABLE invitations ADD COLUMN reinvite INTEGER NOT NULL DEFAULT 0 CHECK (reinvite IN (0, 1));
-- Why a link was revoked, when the system did it: 'email_changed' (the member's e-mail
-- changed while it was pending, SECURITY.md rule 6). NULL: staff revoked it, or a newer
-- invitation replaced it.
ALTER TABLE invitations ADD COLUMN revoked_because TEXT CHECK (revoked_because IN ('email_changed'));
