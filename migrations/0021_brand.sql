-- The organisation's own face on member pages, the invitation page and its e-mails: an
-- accent colour ('#1d4ed8'; NULL: Portico's own) and a logo. The logo's bytes are kept as
-- base64 text, as member files are; its digest names its address, so a new logo is a new
-- address and the old one may be cached for good.
ALTER TABLE organisations ADD COLUMN accent_colour TEXT;
CREATE TABLE organisation_logos (
    organisation_id  INTEGER PRIMARY KEY REFERENCES organisations(id),
    content_type     TEXT    NOT NULL,
    content          TEXT    NOT NULL,
    digest           TEXT    NOT NULL,
    uploaded_at      INTEGER NOT NULL
);
