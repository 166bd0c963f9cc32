-- A person whose invitation expired asked for a new link from it, and one was sent: a new
-- invitation, so webhooks hear `invitation.created` as for any other.
INSERT INTO webhook_event_types (kind, type) VALUES ('link_requested', 'invitation.created');
