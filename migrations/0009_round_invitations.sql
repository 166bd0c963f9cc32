-- Which invitation a round made for each person it invited, so the round's page can show
-- how its e-mails are doing (queued, sent, failed). NULL: skipped, or made before this.
ALTER TABLE bulk_send_results ADD COLUMN invitation_id INTEGER REFERENCES invitations(id);
