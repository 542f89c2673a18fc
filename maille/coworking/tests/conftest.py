from __future__ import annotations

import pytest

from maille.coworking.models import ResourceKind
from maille.coworking.tests import helpers
from maille.payroll.tests.helpers import fund


@pytest.fixture
def place(db):
    return helpers.site()


@pytest.fixture
def room(place):
    return helpers.resource(place)


@pytest.fixture
def desk(place):
    return helpers.resource(place, ResourceKind.DESK, "Bureau 1", hour="5.00")


@pytest.fixture
def funded(camille_activity):
    fund(camille_activity, "1000.00")
    return camille_activity
