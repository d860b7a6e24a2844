"""Scheduled jobs. Each is a plain function ``job(session, now) -> str`` that decides from the
data what is due at ``now``, so it can run from the scheduler, by hand for any moment
(``flask --app tracker jobs run NAME --now ...``) or from a test, and running it twice for
the same moment changes nothing the second time. The schedule itself is jobs/schedule.py.
"""
