-- Households and client groups (a family, a business with several owners): profiles staff
-- group together to see and invite at once. A profile may belong to several groups.
CREATE TABLE groups (
    id               INTEGER PRIMARY KEY,
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
    name             TEXT    NOT NULL,
    created_at       INTEGER NOT NULL
);
CREATE INDEX groups_by_organisation ON groups (organisation_id, name);

CREATE TABLE group_members (
    group_id   INTEGER NOT NULL REFERENCES groups(id),
    member_id  INTEGER NOT NULL REFERENCES members(id),
    added_at   INTEGER NOT NULL,
    PRIMARY KEY (group_id, member_id)
);
CREATE INDEX group_members_by_member ON group_members (member_id);

-- One invitation round sent to many at once ("Invite all owners" of a group), named by the
-- key its form carried, so a double submit or a retry finds the round instead of sending
-- again. Its results say, per person, invited or skipped and why.
CREATE TABLE bulk_sends (
    id               INTEGER PRIMARY KEY,
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
    request_key      TEXT    NOT NULL UNIQUE,
    group_id         INTEGER REFERENCES groups(id),
    sent_by          INTEGER NOT NULL REFERENCES users(id),
    created_at       INTEGER NOT NULL
);

CREATE TABLE bulk_send_results (
    bulk_send_id  INTEGER NOT NULL REFERENCES bulk_sends(id),
    contact_id    INTEGER NOT NULL REFERENCES contacts(id),
    -- NULL: invited. Otherwise why not, in words staff read.
    skipped_because  TEXT,
    PRIMARY KEY (bulk_send_id, contact_id)
);
