"""Pure domain rules: no HTTP, no database. Unit-tested on their own."""
