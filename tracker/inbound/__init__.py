"""Replies by e-mail: a lead answers a reminder or chaser and their words become the action's
progress update.

- ``tokens``: the reply addresses (``updates+<token>@…``) the reminders and chasers carry.
- ``reading``: what a received message says (its new text, status words, auto-reply signs).
- ``process``: storing each message first, then posting it or refusing it, once.
- ``receiver`` (SMTP/LMTP) and ``fetch`` (IMAP): the two ways messages come in.
"""
