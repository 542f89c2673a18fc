"""Refusals of the coworking services: a clear message for the person."""

from __future__ import annotations

from typing import ClassVar

from maille.core.exceptions import DomainError


class CoworkingError(DomainError):
    """The input breaks a booking rule (outside opening hours, too long…): 422."""

    http_status: ClassVar[int] = 422


class SlotTaken(DomainError):
    """Someone else holds the slot (or took it a moment ago): 409."""

    http_status: ClassVar[int] = 409


class BookingConflict(DomainError):
    """The booking is in a state that refuses this (already cancelled): 409."""

    http_status: ClassVar[int] = 409
