-- Attempts counted per bucket (what is limited, and for whom: an address, an account, a
-- member) in fixed windows; old windows are deleted as new ones start.
CREATE TABLE rate_limits (
    bucket        TEXT    NOT NULL,
    window_start  INTEGER NOT NULL,
    hits          INTEGER NOT NULL,
    PRIMARY KEY (bucket, window_start)
);
