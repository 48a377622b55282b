#!/usr/bin/env bash
# Install Trackside as an appliance on a fresh Raspberry Pi OS (Bookworm), in one go:
#   sudo ./systemd/install.sh
# Re-running it upgrades the code and keeps the config and the database.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "install.sh: run it with sudo" >&2
  exit 2
fi
src=$(cd "$(dirname "$0")/.." && pwd)
prefix=/opt/trackside
state=/var/lib/trackside  # the unit's StateDirectory: the database, and the user's home
if [ "$src" = "$prefix" ]; then
  echo "install.sh: run it from a checkout, not from $prefix" >&2
  exit 2
fi

echo "== packages (lgpio for the GPIO, the venv module, ALSA tools for a sound check)"
apt-get update -qq
apt-get install -y -qq python3-venv python3-lgpio alsa-utils

systemctl stop trackside.service 2>/dev/null || true  # upgrading: let go of the old code

echo "== the service user, in the groups for GPIO, serial, display, keys and sound"
# Its home is the state folder: the unit hides /home (ProtectHome=yes).
if id trackside >/dev/null 2>&1; then
  usermod --home "$state" trackside 2>/dev/null || true  # "no changes" is fine
else
  useradd --system --home-dir "$state" --no-create-home --shell /usr/sbin/nologin trackside
fi
for group in gpio dialout video render input audio; do
  if getent group "$group" >/dev/null; then
    usermod -aG "$group" trackside
  else
    echo "   no group $group here: the unit's SupplementaryGroups= needs it" >&2
  fi
done

echo "== the code in $prefix, in a venv that sees the apt lgpio (gpiozero's own advice)"
# A clean copy of the checkout: no .git, no developer venv, no caches.
rm -rf "$prefix"
mkdir -p "$prefix"
tar -C "$src" --exclude=.git --exclude=.venv --exclude=__pycache__ --exclude='*.egg-info' \
  --exclude=build --exclude=.pytest_cache --exclude=.hypothesis -cf - . | tar -C "$prefix" -xf -
python3 -m venv --system-site-packages "$prefix/.venv"
"$prefix/.venv/bin/pip" install --quiet "$prefix"

echo "== the configuration (kept if it exists)"
mkdir -p /etc/trackside
if [ ! -f /etc/trackside/config.toml ]; then
  "$prefix/.venv/bin/trackside" config --example >/etc/trackside/config.toml
fi
"$prefix/.venv/bin/trackside" config --check /etc/trackside/config.toml

echo "== systemd unit and the FTDI latency-timer udev rule"
install -m 644 "$src/systemd/trackside.service" /etc/systemd/system/trackside.service
install -m 644 "$src/systemd/99-trackside-ftdi.rules" /etc/udev/rules.d/99-trackside-ftdi.rules
udevadm control --reload-rules
udevadm trigger --subsystem-match=usb-serial || true  # nothing plugged in is fine
systemctl daemon-reload
systemctl enable trackside.service

echo "== a quicker boot: the timer does not need these"
for unit in NetworkManager-wait-online.service apt-daily.timer apt-daily-upgrade.timer \
  man-db.timer; do
  systemctl disable "$unit" >/dev/null 2>&1 || true
done
if [ "$(systemctl get-default)" = graphical.target ]; then
  echo "   this Pi boots to a desktop, which holds the screen: for the timer full screen, run" >&2
  echo "   sudo systemctl set-default multi-user.target && sudo reboot" >&2
fi

systemctl restart trackside.service
echo "Installed. Check the hardware (the service stopped, so the pins are free):"
echo "  sudo systemctl stop trackside"
echo "  cd $state && sudo -u trackside $prefix/.venv/bin/trackside doctor"
echo "  sudo systemctl start trackside"
echo "Logs: journalctl -u trackside -f"
