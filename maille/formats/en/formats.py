"""Dates in English pages: one format, ``Nov. 29, 2026`` (``Nov. 29, 2026, 14:05``)."""

DATE_FORMAT = "N j, Y"
SHORT_DATE_FORMAT = "N j, Y"
DATETIME_FORMAT = "N j, Y, H:i"
SHORT_DATETIME_FORMAT = "N j, Y, H:i"
