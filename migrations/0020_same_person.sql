-- One person around several profiles (a mother of two children): each profile keeps its own
-- contact row, and every row after the first names the first as the same person. Accepting
-- an invitation as any of them links the login to all of them; a login already there
-- reaches a profile the person is added to at once. NULL: a person of their own.
ALTER TABLE contacts ADD COLUMN same_as INTEGER REFERENCES contacts(id);
CREATE INDEX contacts_by_person ON contacts (same_as) WHERE same_as IS NOT NULL;
CREATE INDEX member_links_by_invitation ON member_links (invitation_id);
