"""Dates in French (Québec) pages: one format, ``29 nov. 2026`` (``29 nov. 2026 14:05``).

Date inputs are ISO first: a browser's ``<input type="date">`` only reads
``2026-11-29`` and sends that back.
"""

DATE_FORMAT = "j N Y"
SHORT_DATE_FORMAT = "j N Y"
DATETIME_FORMAT = "j N Y H:i"
SHORT_DATETIME_FORMAT = "j N Y H:i"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]
