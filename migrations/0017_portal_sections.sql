-- What a member sees on the portal besides their profile: the programmes they are enrolled
-- in (always), their bookings and the files staff share with them (each shown or hidden for
-- the whole organisation in its settings).
ALTER TABLE organisations ADD COLUMN bookings_shown INTEGER NOT NULL DEFAULT 1 CHECK (bookings_shown IN (0, 1));
ALTER TABLE organisations ADD COLUMN files_shown INTEGER NOT NULL DEFAULT 1 CHECK (files_shown IN (0, 1));

-- A programme the member is enrolled in and their current level in it ("Karate", "Green belt").
CREATE TABLE memberships (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members(id),
    programme   TEXT    NOT NULL,
    level       TEXT,
    added_by    INTEGER NOT NULL REFERENCES users(id),
    added_at    INTEGER NOT NULL
);
CREATE INDEX memberships_of_member ON memberships (member_id);

-- A session, class or appointment booked for the member. `starts` is the organisation's own
-- wall-clock time as staff typed it ("2026-12-05T18:00"), which sorts as text.
CREATE TABLE bookings (
    id            INTEGER PRIMARY KEY,
    member_id     INTEGER NOT NULL REFERENCES members(id),
    title         TEXT    NOT NULL,
    starts        TEXT    NOT NULL,
    place         TEXT,
    added_by      INTEGER NOT NULL REFERENCES users(id),
    added_at      INTEGER NOT NULL,
    cancelled_at  INTEGER
);
CREATE INDEX bookings_of_member ON bookings (member_id, starts);

-- A file kept on the member's profile; the member sees it only when `shared`. The content is
-- base64 text (1 MiB of file at most), so both SQLite and D1 keep it the same way.
CREATE TABLE member_files (
    id            INTEGER PRIMARY KEY,
    member_id     INTEGER NOT NULL REFERENCES members(id),
    name          TEXT    NOT NULL,
    content_type  TEXT    NOT NULL,
    size          INTEGER NOT NULL,
    content       TEXT    NOT NULL,
    shared        INTEGER NOT NULL CHECK (shared IN (0, 1)),
    added_by      INTEGER NOT NULL REFERENCES users(id),
    added_at      INTEGER NOT NULL
);
CREATE INDEX member_files_of_member ON member_files (member_id);
