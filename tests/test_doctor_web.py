"""doctor's phone page line: is the configured port free to serve on?"""

import socket

from trackside.checks import Probe, Status
from trackside.checks.web import check_web


def test_a_port_in_use_fails_with_what_to_do() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        finding = check_web(Probe(web_enabled=True, web_host="127.0.0.1", web_port=port))
    assert finding.status is Status.FAIL
    assert finding.detail == f"cannot serve on 127.0.0.1:{port}: port {port} is in use " \
                             "(another program, or another trackside)"
    assert f"sport = :{port}" in finding.fix


def test_a_free_port_is_ok_and_no_page_is_skipped() -> None:
    assert check_web(Probe(web_enabled=True, web_host="127.0.0.1", web_port=0)).status is Status.OK
    assert check_web(Probe()).status is Status.SKIP
