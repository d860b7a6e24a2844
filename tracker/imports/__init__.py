"""Reading the board's own files: a plan's Word tables and Excel sheets, or a CSV export.

- ``sources`` turns an uploaded file into plain tables of text (``tables``), or refuses it with
  a message a person can act on: ``packages`` checks and counts an Office file before
  ``workbooks`` (.xlsx) or ``documents`` (.docx) read it.
- ``plan_reader`` finds the plan in those tables (``columns`` for the heading row, ``rows`` for
  each row's actions) and makes a ``drafts.DraftPlan`` with its problems and warnings; the
  cells are read by ``lists`` (lists in a cell), ``names`` (leads and agencies), ``cells``
  (statuses, area headings) and ``tracker.rules.months`` (timetables).
- ``comparison`` says what importing the draft would change, against what the board holds
  (``holdings``); ``plan_import`` writes it, all or nothing.
"""
