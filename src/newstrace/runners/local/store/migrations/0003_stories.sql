-- Stories: the event terms of each article (for clustering) and each article's story.
CREATE TABLE event_terms (
    term        INTEGER NOT NULL,
    article_id  TEXT NOT NULL,
    count       INTEGER NOT NULL,
    PRIMARY KEY (term, article_id)
) WITHOUT ROWID;
CREATE INDEX event_terms_article ON event_terms(article_id);
CREATE TABLE event_df (
    term        INTEGER PRIMARY KEY,
    articles    INTEGER NOT NULL
);
CREATE TABLE story_members (
    article_id  TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    story_id    TEXT NOT NULL,
    text_hash   TEXT NOT NULL       -- the text clustered: a changed text is placed anew
);
CREATE INDEX story_members_story ON story_members(story_id);
