"""The read API for partners, /api/v1/…: JSON of a board's plans, actions and their updates,
indicators and readings, meetings and forward plans. Anonymous callers read exactly the
public data (tracker.publishing.data); a board's API token reads its internal data."""
