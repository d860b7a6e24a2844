"""The board's duties under data protection law: what it holds about a person (subject
access), erasing someone who has left, how long records are kept, and its privacy notice."""
