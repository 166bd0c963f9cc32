-- Members imported from a spreadsheet. `external_id` is the member's id in the system the
-- file came from (a school's pupil number, a practice's client reference): a later import
-- finds the member by it. Not unique: two members given the same id by hand are reported by
-- the next import, never merged.
ALTER TABLE members ADD COLUMN external_id TEXT;
CREATE INDEX members_by_external_id ON members (organisation_id, external_id) WHERE external_id IS NOT NULL;

-- One uploaded file and what became of it. The text (decoded to UTF-8) is kept in
-- `import_chunks` of at most 1 MB each, within D1's limit on a row. `mapping` is a JSON list of
-- column slugs, one per column of the file; `done_rows` counts the file's data rows gone
-- through so far, in order, so an import interrupted goes on from there.
CREATE TABLE imports (
    id               INTEGER PRIMARY KEY,
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
    created_by       INTEGER NOT NULL REFERENCES users(id),
    created_at       INTEGER NOT NULL,
    file_name        TEXT    NOT NULL,
    headers          TEXT    NOT NULL,
    mapping          TEXT    NOT NULL,
    rows_total       INTEGER NOT NULL,
    done_rows        INTEGER NOT NULL DEFAULT 0,
    started_at       INTEGER,
    finished_at      INTEGER
);
CREATE INDEX imports_of_organisation ON imports (organisation_id, created_at);

CREATE TABLE import_chunks (
    import_id  INTEGER NOT NULL REFERENCES imports(id),
    seq        INTEGER NOT NULL,
    text       TEXT    NOT NULL,
    PRIMARY KEY (import_id, seq)
);

-- Each step of an import (its rows from `first_row` on) is written once: the step's row is
-- the first statement of its batch, so a second run of the same step fails as a whole.
CREATE TABLE import_steps (
    import_id  INTEGER NOT NULL REFERENCES imports(id),
    first_row  INTEGER NOT NULL,
    PRIMARY KEY (import_id, first_row)
);

-- The report: each line of the file, added, updated, unchanged or refused, and why.
CREATE TABLE import_results (
    import_id  INTEGER NOT NULL REFERENCES imports(id),
    line       INTEGER NOT NULL,
    outcome    TEXT    NOT NULL CHECK (outcome IN ('added', 'updated', 'unchanged', 'refused')),
    member_id  INTEGER REFERENCES members(id),
    reason     TEXT,
    PRIMARY KEY (import_id, line)
);

-- The mapping last chosen for a header, per organisation: the next file's columns of the
-- same name start out as they were.
CREATE TABLE import_mappings (
    organisation_id  INTEGER NOT NULL REFERENCES organisations(id),
    header_key       TEXT    NOT NULL,
    column_slug      TEXT    NOT NULL,
    PRIMARY KEY (organisation_id, header_key)
);
