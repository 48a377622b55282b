import os
import sys

sys.path.insert(0, os.path.dirname(__file__))  # tests import their small helper modules

# Headless everywhere: no window, no sound card, mock pins.
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("GPIOZERO_PIN_FACTORY", "mock")
