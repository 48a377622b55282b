"""doctor's phone page line: is the configured port free to serve on?"""

import socket

from trackside.checks import Probe, Status
from trackside.checks.web import check_web
from trackside.config import WebConfig


def test_a_port_in_use_fails_with_what_to_do() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        finding = check_web(Probe(web=WebConfig(enabled=True, host="127.0.0.1", port=port)))
    assert finding.status is Status.FAIL
    assert finding.detail == f"cannot serve on 127.0.0.1:{port}: port {port} is in use " \
                             "(another program, or another trackside)"
    assert f"sport = :{port}" in finding.fix


def test_a_free_port_is_ok_and_no_page_is_skipped() -> None:
    free = Probe(web=WebConfig(enabled=True, host="127.0.0.1", port=0))
    assert check_web(free).status is Status.OK
    assert check_web(Probe()).status is Status.SKIP
