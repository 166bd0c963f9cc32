-- What the e-mail provider reported of a message after it took it (its webhook, matched by
-- `provider_id`): the furthest state so far, which a report arriving late never moves back.
ALTER TABLE outbox ADD COLUMN report TEXT
    CHECK (report IN ('delayed', 'delivered', 'soft_bounced', 'failed', 'bounced', 'complained'));
ALTER TABLE outbox ADD COLUMN report_detail TEXT;
ALTER TABLE outbox ADD COLUMN reported_at INTEGER;
-- The report that last moved it, for the timeline entry written in the same batch.
ALTER TABLE outbox ADD COLUMN report_claim TEXT;
CREATE INDEX outbox_by_provider_id ON outbox (provider_id) WHERE provider_id IS NOT NULL;

-- Each of the provider's events handled once, by its id (`svix-id` / `webhook-id`); `claim`
-- tells the batch that stored it this time from a replay.
CREATE TABLE email_reports (
    id           TEXT    PRIMARY KEY,
    claim        TEXT    NOT NULL,
    received_at  INTEGER NOT NULL
);

-- What webhooks hear of the timeline's entries for them (a complaint or a delay: nothing).
INSERT INTO webhook_event_types (kind, type) VALUES
    ('email_delivered', 'invitation.delivered'),
    ('email_bounced', 'invitation.failed'), ('email_failed', 'invitation.failed');
