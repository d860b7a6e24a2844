"""Documents the board sends out, built from what the tracker holds."""
