-- Declining the portal: by the member from the invitation page (declined_by NULL), or
-- recorded by staff from what the member told them (their login), with an optional reason.
ALTER TABLE invitations ADD COLUMN declined_by INTEGER REFERENCES users(id);
ALTER TABLE invitations ADD COLUMN decline_reason TEXT;
-- 1: staff invited the member again after the member had declined ("Reinvite").
ALTER TABLE invitations ADD COLUMN reinvite INTEGER NOT NULL DEFAULT 0 CHECK (reinvite IN (0, 1));
