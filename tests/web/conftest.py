"""The site on a seeded network, through aiohttp's test client."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer

from db.engine import Database
from tests.web.seed import Network, seed_network
from web.app import create_app
from web.site import SiteOptions


@pytest.fixture
async def network(db: Database) -> Network:
    return await seed_network(db)


@pytest.fixture
async def client(db: Database, network: Network) -> AsyncIterator[TestClient]:
    app = create_app(db, SiteOptions(base_url="https://groups.example.org"))
    async with TestClient(TestServer(app)) as test_client:
        yield test_client
