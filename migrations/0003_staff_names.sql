-- What staff are called, shown in the page header and, later, beside what they did.
-- Logins made before this migration keep an empty name (their e-mail is shown instead).
ALTER TABLE staff ADD COLUMN name TEXT NOT NULL DEFAULT '';
