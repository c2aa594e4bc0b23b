"""The HTTP layer: which failures are retried, how long it waits (recorded, never slept), and what the
caller finally gets."""
import socket
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest
import requests

from catalog.marketplaces.errors import RateLimited, Unavailable
from catalog.marketplaces.http import Transport, _retry_after, error_message
from catalog.marketplaces.push import push_products
from tests.catalog.marketplaces.test_push import listing


def test_429_waits_as_retry_after_says_then_succeeds(world, standin, transport):
    standin.fail_next(2, 429, retry_after=3, path="/tiki/integration")

    (result,) = push_products(world.vendor, "tiki", world.ids[:1], world.user, transport=transport)

    assert result.ok
    assert transport.waits == [3.0, 3.0]
    assert len(standin.requests_to("/integration/v2.1/requests")) == 3


def test_5xx_backs_off_exponentially_then_succeeds(world, standin, transport):
    standin.fail_next(3, 503, path="/tiki/integration")

    (result,) = push_products(world.vendor, "tiki", world.ids[:1], world.user, transport=transport)

    assert result.ok and transport.waits == [0.5, 1.0, 2.0]


def test_jitter_stretches_each_wait_by_at_most_a_quarter(standin_server):
    waits = []
    with Transport(attempts=3, backoff=1.0, sleep=waits.append, jitter=lambda: 0.999) as jittery:
        standin_server.app.reset()
        standin_server.app.fail_next(2, 500)
        jittery.request("GET", standin_server.url + "/nowhere")
    assert 1.0 < waits[0] < 1.25 and 2.0 < waits[1] < 2.5


def test_5xx_until_the_attempts_run_out_is_a_clean_failure_that_changes_nothing(world, standin, transport):
    standin.fail_next(8, 500, path="/tiki/integration")

    results = push_products(world.vendor, "tiki", world.ids, world.user, transport=transport)

    assert [r.ok for r in results] == [False, False, False]
    assert results[0].message == "Không kết nối được với sàn hoặc sàn không trả lời kịp. Vui lòng thử lại sau."
    assert transport.waits == [0.5, 1.0, 2.0] * 2
    # After two products failed in a row the third was not sent at all.
    assert len(standin.requests_to("/integration/v2.1/requests")) == 8
    assert results[2].message.startswith("Chưa gửi: ")
    assert all(listing(i, "tiki") is None for i in world.ids)


def test_a_retry_after_longer_than_max_wait_is_not_waited_for(standin_server):
    waits = []
    standin_server.app.reset()
    standin_server.app.fail_next(1, 429, retry_after=3600)
    with Transport(sleep=waits.append, max_wait=30) as patient, pytest.raises(RateLimited):
        patient.request("GET", standin_server.url + "/tiki/anything")
    assert waits == []


def test_connection_refused_is_retried_then_unavailable():
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens on it
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    waits = []
    with Transport(attempts=3, backoff=0.1, sleep=waits.append, jitter=lambda: 0.0) as t, \
            pytest.raises(Unavailable):
        t.request("GET", f"http://127.0.0.1:{port}/")
    assert waits == [0.1, 0.2]


class TimingOut(requests.Session):
    calls = 0

    def request(self, *args, **kwargs):
        TimingOut.calls += 1
        raise requests.ReadTimeout("slow")


@pytest.mark.parametrize("method, calls", [("GET", 3), ("POST", 1)])
def test_a_read_timeout_is_retried_only_when_repeating_is_safe(method, calls):
    TimingOut.calls = 0
    with Transport(attempts=3, sleep=lambda s: None, session=TimingOut()) as t, pytest.raises(Unavailable):
        t.request(method, "http://127.0.0.1:9/")
    assert TimingOut.calls == calls


def test_retry_after_as_seconds_or_http_date():
    later = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=120), usegmt=True)
    response = requests.Response()
    for value, low, high in (("7", 7, 7), (later, 100, 121), ("soon", None, None), ("-5", 0, 0)):
        response.headers["Retry-After"] = value
        seconds = _retry_after(response)
        assert (seconds is None) if low is None else low <= seconds <= high


def test_error_message_reads_the_usual_shapes():
    def answer(body, status=400):
        response = requests.Response()
        response.status_code, response._content = status, body.encode()
        return response

    assert error_message(answer('{"success": false, "error": {"message": "Sai danh mục"}}')) == "Sai danh mục"
    assert error_message(answer('{"errors": [{"message": "a"}, "b"]}')) == "a; b"
    assert error_message(answer("<html>Bad Gateway</html>", 502)) == "HTTP 502"


class Dropping(requests.Session):
    """The connection drops after the request went out: the server may have acted on it."""

    calls = 0

    def request(self, *args, **kwargs):
        Dropping.calls += 1
        raise requests.ConnectionError(ConnectionResetError("Connection reset by peer"))


@pytest.mark.parametrize("method, calls", [("GET", 3), ("POST", 1)])
def test_a_connection_lost_after_sending_is_retried_only_when_repeating_is_safe(method, calls):
    Dropping.calls = 0
    with Transport(attempts=3, sleep=lambda s: None, session=Dropping()) as t, pytest.raises(Unavailable):
        t.request(method, "http://127.0.0.1:9/")
    assert Dropping.calls == calls


def test_a_refused_connection_is_retried_even_for_a_creation(transport):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(Unavailable):
        transport.request("POST", f"http://127.0.0.1:{port}/tiki/integration/v2.1/requests", json={})
    assert len(transport.waits) == 3
