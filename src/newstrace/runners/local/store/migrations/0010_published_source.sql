-- Where each article's publication date was read (meta tag, htmldate, byline, date line,
-- dateline, the container's record); NULL for articles stored before it was kept.
ALTER TABLE articles ADD COLUMN published_source TEXT;
