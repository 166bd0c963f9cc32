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

-- A member whose latest invitation's e-mail bounced for good or was marked as spam stands
-- as "bounced" (the list's "E-mail bounced" filter) until a new invitation replaces it.
DROP VIEW member_standing;
CREATE VIEW member_standing AS
SELECT m.id AS member_id,
       iif(EXISTS (SELECT 1 FROM member_links l WHERE l.member_id = m.id),
           iif(EXISTS (SELECT 1 FROM member_links l JOIN users u ON u.id = l.user_id
                       WHERE l.member_id = m.id AND u.last_login_at > l.linked_at),
               'active', 'accepted'),
       iif(i.id IS NULL OR i.accepted_at IS NOT NULL,
           iif(EXISTS (SELECT 1 FROM contacts c
                       WHERE c.member_id = m.id AND c.removed_at IS NULL AND c.email IS NOT NULL),
               'not_invited', 'no_email'),
       iif(i.revoked_at IS NOT NULL, 'revoked',
       iif(i.declined_at IS NOT NULL, 'declined',
       iif(EXISTS (SELECT 1 FROM outbox o WHERE o.invitation_id = i.id AND o.report IN ('bounced', 'complained')),
           'bounced',
       iif(EXISTS (SELECT 1 FROM outbox o WHERE o.invitation_id = i.id AND o.status = 'dead'),
           'failed', 'invited')))))) AS standing,
       i.expires_at AS expires_at,
       coalesce(i.created_at, 0) AS invited_at,
       coalesce((SELECT max(u.last_login_at) FROM member_links l JOIN users u ON u.id = l.user_id
                 WHERE l.member_id = m.id), 0) AS login_at
FROM members m
LEFT JOIN invitations i ON i.id = (SELECT id FROM invitations WHERE member_id = m.id
                                   ORDER BY created_at DESC, id DESC LIMIT 1);
