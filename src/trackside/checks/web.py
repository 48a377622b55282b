"""The phone page's port: free for the timer to serve the page on."""

from __future__ import annotations

from trackside.checks import Finding, Probe, Status
from trackside.web.server import WebUnavailable, listen


def check_web(probe: Probe) -> Finding:
    if not probe.web_enabled:
        return Finding("phone page", Status.SKIP, "not configured ([web] enabled = false)")
    where = f"{probe.web_host}:{probe.web_port}"
    try:
        listen(probe.web_host, probe.web_port).close()
    except WebUnavailable as exc:
        return Finding(
            "phone page", Status.FAIL, f"cannot serve on {where}: {exc}",
            f"stop what holds it (sudo ss -ltnp 'sport = :{probe.web_port}' names it; the "
            "service itself, if it runs) or choose another [web] port")
    return Finding("phone page", Status.OK, f"{where} is free to serve the page on")
