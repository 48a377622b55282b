"""The runtime: the clocks, the inbox of stamped inputs and the main loop that drives the engine.

It sits between the adapters (which only put inputs in and carry effects out) and `core`
(which decides). It reads the clock; core never does.
"""
