-- The organisation's time zone (a name of the IANA database): every time its pages and
-- e-mails show is in it, with its abbreviation. Organisations of before keep UTC, as their
-- pages said until now.
ALTER TABLE organisations ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
