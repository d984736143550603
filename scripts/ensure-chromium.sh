#!/bin/sh
# Makes sure the browser tests (test/browser) have a Chromium to drive, before `npm test` runs them: Debian's
# package (never a browser downloaded by Playwright). CHROMIUM_PATH names another binary; without it, Debian's
# /usr/bin/chromium is installed with apt-get when missing (as root, or through sudo).
set -eu

if [ -n "${CHROMIUM_PATH:-}" ]; then
  if [ -x "$CHROMIUM_PATH" ]; then exit 0; fi
  echo "CHROMIUM_PATH is $CHROMIUM_PATH, but no executable is there: point it at a Chromium binary, or unset it to use Debian's /usr/bin/chromium." >&2
  exit 1
fi

DEFAULT_PATH=/usr/bin/chromium
if [ -x "$DEFAULT_PATH" ]; then exit 0; fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "The browser tests need Chromium, and there is none at $DEFAULT_PATH nor apt-get to install it: install Chromium and set CHROMIUM_PATH to its binary." >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  as_root=""
elif command -v sudo >/dev/null 2>&1; then
  as_root="sudo"
else
  echo "The browser tests need Chromium at $DEFAULT_PATH; installing it needs root and there is no sudo: run \`apt-get update && apt-get install -y chromium\` as root, or set CHROMIUM_PATH to a Chromium binary." >&2
  exit 1
fi

echo "The browser tests need Chromium and $DEFAULT_PATH is missing: installing Debian's chromium package with apt-get (once)."
$as_root apt-get update
$as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
if [ ! -x "$DEFAULT_PATH" ]; then
  echo "apt-get installed chromium, yet $DEFAULT_PATH is still missing: set CHROMIUM_PATH to the Chromium binary." >&2
  exit 1
fi
