"""The coach's phone: a page the Pi serves over Wi-Fi, live, with the button's controls.

Rules for this package:
  1. It talks to the timer the two ways the architecture allows, and no other. In: a
     stamped input through one `put(input)` callable, stamped when the request arrives.
     Out: the loop's `publish(view, effects)`, which only keeps a reference to the view
     (a frozen value) and wakes the server's thread at most once (see `hub`).
  2. The server runs on a thread of its own with its own asyncio loop (uvicorn), started
     after the first frame. It never makes the main loop wait: every phone has a bounded
     queue, and a phone that falls behind is dropped (its browser reconnects by itself).
  3. Anyone who reaches the page may watch; a control needs a paired phone (see `pairing`)
     and the X-Trackside header, so no other site can send one through a coach's browser.
  4. A bad request gets a 4xx and one short reason, never a traceback.
"""
