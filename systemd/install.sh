#!/usr/bin/env bash
# Install Trackside as an appliance on a fresh Raspberry Pi OS (Bookworm), in one go:
#   sudo ./systemd/install.sh
# Re-running it upgrades the code and keeps the config and the database.
set -euo pipefail

[ "$(id -u)" -eq 0 ] || { echo "install.sh: run it with sudo" >&2; exit 2; }
src=$(cd "$(dirname "$0")/.." && pwd)
prefix=/opt/trackside

echo "== packages (lgpio for the GPIO, the venv module, ALSA tools for a sound check)"
apt-get update -qq
apt-get install -y -qq python3-venv python3-lgpio alsa-utils

echo "== the service user, in the groups for GPIO, serial, display, keys and sound"
id trackside >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin trackside
for group in gpio dialout video render input audio; do
  getent group "$group" >/dev/null && usermod -aG "$group" trackside
done

echo "== the code, in a venv that sees the apt lgpio (gpiozero's own advice)"
mkdir -p "$prefix"
cp -a "$src/." "$prefix/"
rm -rf "$prefix/.venv"
python3 -m venv --system-site-packages "$prefix/.venv"
"$prefix/.venv/bin/pip" install --quiet "$prefix"

echo "== the configuration (kept if it exists)"
mkdir -p /etc/trackside
[ -f /etc/trackside/config.toml ] || "$prefix/.venv/bin/trackside" config --example > /etc/trackside/config.toml
"$prefix/.venv/bin/trackside" config --check /etc/trackside/config.toml

echo "== systemd unit and the FTDI latency-timer udev rule"
install -m 644 "$src/systemd/trackside.service" /etc/systemd/system/trackside.service
install -m 644 "$src/systemd/99-trackside-ftdi.rules" /etc/udev/rules.d/99-trackside-ftdi.rules
udevadm control --reload-rules && udevadm trigger --subsystem-match=usb-serial || true
systemctl daemon-reload
systemctl enable trackside.service

echo "== a quicker boot: the timer does not need these"
for unit in NetworkManager-wait-online.service apt-daily.timer apt-daily-upgrade.timer man-db.timer; do
  systemctl disable "$unit" >/dev/null 2>&1 || true
done

systemctl restart trackside.service
echo "Installed. Check the hardware with: sudo -u trackside $prefix/.venv/bin/trackside doctor"
echo "Logs: journalctl -u trackside -f"
