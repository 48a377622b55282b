"""The phone page's port: free for the timer to serve the page on."""

from __future__ import annotations

from trackside.checks import Finding, Probe, Status
from trackside.web.server import WebUnavailable, listen


def check_web(probe: Probe) -> Finding:
    web = probe.web
    if not web.enabled:
        return Finding("phone page", Status.SKIP, "not configured ([web] enabled = false)")
    where = f"{web.host}:{web.port}"
    try:
        listen(web.host, web.port).close()
    except WebUnavailable as exc:
        return Finding(
            "phone page", Status.FAIL, f"cannot serve on {where}: {exc}",
            f"stop what holds it (sudo ss -ltnp 'sport = :{web.port}' names it; the "
            "service itself, if it runs) or choose another [web] port")
    return Finding("phone page", Status.OK, f"{where} is free to serve the page on")
