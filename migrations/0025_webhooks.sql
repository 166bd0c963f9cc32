-- Webhooks: endpoints of other systems that hear of invitations and links as they happen,
-- signed as the Standard Webhooks specification says. `events` lists the types chosen, each
-- between spaces (' invitation.sent member.linked '); `secret` is the signing key
-- ('whsec_' and base64), shown once when the endpoint is made and kept to sign with.
-- `failing_since`: the first failed delivery since the last good one; five days of that
-- disables the endpoint.
CREATE TABLE webhook_endpoints (
    id               INTEGER PRIMARY KEY,
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
    url              TEXT    NOT NULL,
    events           TEXT    NOT NULL,
    secret           TEXT    NOT NULL,
    created_by       INTEGER NOT NULL REFERENCES users(id),
    created_at       INTEGER NOT NULL,
    failing_since    INTEGER,
    disabled_at      INTEGER,
    disabled_because TEXT
);
CREATE INDEX webhook_endpoints_of_organisation ON webhook_endpoints (organisation_id, id);

-- Which timeline events each webhook type is made from (one event may make two: an accepted
-- invitation links a login).
CREATE TABLE webhook_event_types (
    kind  TEXT NOT NULL,
    type  TEXT NOT NULL,
    PRIMARY KEY (kind, type)
);
INSERT INTO webhook_event_types (kind, type) VALUES
    ('invited', 'invitation.created'), ('resent', 'invitation.created'),
    ('reinvited', 'invitation.created'), ('link_reenabled', 'invitation.created'),
    ('emailed', 'invitation.sent'),
    ('delivery_failed', 'invitation.failed'),
    ('accepted', 'invitation.accepted'), ('accepted', 'member.linked'), ('linked', 'member.linked'),
    ('declined', 'invitation.declined'),
    ('revoked', 'invitation.revoked'),
    ('expired', 'invitation.expired'),
    ('unlinked', 'member.unlinked');

-- One message to one endpoint: its body as signed (never a token or a link), and how its
-- delivery goes. `next_attempt_at` is NULL once delivered or given up; `claim` marks the
-- sender delivering it now.
CREATE TABLE webhook_deliveries (
    id               INTEGER PRIMARY KEY,
    endpoint_id      INTEGER NOT NULL REFERENCES webhook_endpoints(id),
    event_id         INTEGER NOT NULL REFERENCES events(id),
    type             TEXT    NOT NULL,
    payload          TEXT    NOT NULL,
    created_at       INTEGER NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER,
    claim            TEXT,
    claimed_until    INTEGER,
    last_attempt_at  INTEGER,
    last_status      INTEGER,
    last_error       TEXT,
    delivered_at     INTEGER,
    failed_at        INTEGER
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE next_attempt_at IS NOT NULL;
CREATE INDEX webhook_deliveries_of_endpoint ON webhook_deliveries (endpoint_id, id);

-- Queued in the same transaction as the event, by whichever statement wrote it. (A trigger
-- adds its rows to the statement's `changes` on D1; no code reads an event statement's.)
CREATE TRIGGER events_to_webhooks AFTER INSERT ON events
BEGIN
    INSERT INTO webhook_deliveries (endpoint_id, event_id, type, payload, created_at, next_attempt_at)
    SELECT e.id, NEW.id, t.type,
           json_object(
               'type', t.type,
               'timestamp', strftime('%Y-%m-%dT%H:%M:%SZ', NEW.at, 'unixepoch'),
               'data', json_object(
                   'event_id', NEW.id,
                   'member_id', NEW.member_id,
                   'contact_id', NEW.contact_id,
                   'email', (SELECT i.email FROM invitations i WHERE i.contact_id = NEW.contact_id
                             ORDER BY i.id DESC LIMIT 1))),
           NEW.at, NEW.at
    FROM webhook_event_types t
    JOIN webhook_endpoints e ON e.organisation_id = NEW.organisation_id AND e.disabled_at IS NULL
                            AND instr(e.events, ' ' || t.type || ' ') > 0
    WHERE t.kind = NEW.kind;
END;

-- An invitation whose link expired unused is announced once, on the timeline (and so to
-- webhooks), by the scheduled step; those already expired are not announced now.
ALTER TABLE invitations ADD COLUMN expiry_noted_at INTEGER;
UPDATE invitations SET expiry_noted_at = expires_at
 WHERE expires_at <= CAST(strftime('%s', 'now') AS INTEGER);
CREATE INDEX invitations_to_expire ON invitations (expires_at)
 WHERE expiry_noted_at IS NULL AND accepted_at IS NULL AND revoked_at IS NULL AND declined_at IS NULL;
