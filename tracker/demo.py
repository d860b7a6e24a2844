"""Demo data from the CYPP 2018–2021 implementation plan. (Stub: being written.)"""


def load(session) -> str:
    return "nothing loaded yet"
