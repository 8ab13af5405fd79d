"""Spanish as written in Mexico: a decimal point and comma thousands (0.207, 1,250.5).

Django's ``es`` formats use a decimal comma (0,207), as in Spain; anything not set here falls
back to Django's ``es`` formats.
"""

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
