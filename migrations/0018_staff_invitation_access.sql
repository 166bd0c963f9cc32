-- What a staff invitation lets its login see from the moment it joins: every member, or
-- only what it is given (at invitation, at most one group). Open invitations made before
-- keep what they promised: every member.
ALTER TABLE staff_invitations ADD COLUMN all_members INTEGER NOT NULL DEFAULT 1;
ALTER TABLE staff_invitations ADD COLUMN group_id INTEGER REFERENCES groups(id);
