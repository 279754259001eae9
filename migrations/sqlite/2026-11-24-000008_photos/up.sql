-- Competitors' photos (optional), base64 text so the one schema stays portable.
CREATE TABLE competitor_photos (
    competitor_id TEXT PRIMARY KEY NOT NULL REFERENCES competitors(id) ON DELETE CASCADE,
    content_type TEXT NOT NULL,
    data TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
