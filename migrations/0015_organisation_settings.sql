-- The organisation's default message template: chosen at first on every form that sends
-- invitations (staff may still pick another, or none). NULL: no default.
ALTER TABLE organisations ADD COLUMN default_template_id INTEGER REFERENCES message_templates(id);
