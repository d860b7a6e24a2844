"""Reading the board's own files: a plan's Word tables and Excel sheets, or a CSV export.

``sources`` turns an uploaded file into plain tables of text (or refuses it with a message a
person can act on); ``cells`` reads the lists, months and names people write in a cell;
``plan_reader`` finds the plan in those tables; ``plan_import`` compares it with what the
board already holds and writes it, all or nothing.
"""
