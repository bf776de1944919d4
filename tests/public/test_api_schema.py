"""The API's OpenAPI schema, fuzzed by schemathesis against the live test server.

The schema is loaded inside the test (from the live server) and each operation is driven by
its own hypothesis strategy: schemathesis' lazy pytest loader does not run under pytest 9.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance

from articles.models import Article
from tests.helpers import ENDPOINTS

EXAMPLES_PER_OPERATION = 30


@pytest.fixture
def api_schema(live_server, transactional_db, make_article, hangzhou, settings):
    settings.API_ANON_RATE = "100000/min"  # fuzzing is not abuse
    make_article(title="杭州人工智能", tags=["人工智能"], cities=[hangzhou])
    make_article(title="草稿", status=Article.Status.DRAFT)
    return schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")


def test_schema_covers_every_endpoint(api_schema):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert {op.path for op in operations} == ENDPOINTS


def test_api_never_answers_500_and_keeps_to_its_schema(api_schema):
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow],
        )
        def fuzz(case):
            # A request the schema allows may still break a rule it cannot state (from after
            # to, a NUL byte in q): the API answers 400 with a message, which is right.
            case.call_and_validate(excluded_checks=[positive_data_acceptance])

        fuzz()
