"""Audits: from an alert, a risk ranking or a citizen report to a planned, documented,
deadline-bound resolution (issue 15). ``machine`` is the pure state machine, ``cases`` the
one writer, ``plans`` the audit plan, ``queries`` the scoped reads, ``views`` the pages."""
