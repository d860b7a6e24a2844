"""The board in public: its pages at /public/<board>/…, for anyone, with no sign-in, and its
open data. Everything shown is read through tracker.publishing.data as the public see it."""
