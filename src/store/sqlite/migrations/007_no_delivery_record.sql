-- What a subscriber received is derived from the story's history and its (immutable) products, so the
-- per-subscriber delivery record only repeated it, at one row per subscriber and story.
DROP TABLE subscriber_deliveries;
