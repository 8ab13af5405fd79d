"""Long work started from the web application and run by the worker (``besa worker``):
imports of OCDS, CompraNet and SAT list files, and exports of filtered lists.

``models.Job`` is the row a person sees (kind, parameters, state, progress, report, result
file); ``runner`` claims and runs jobs in the worker; ``kinds`` holds what each kind does.
"""
