#!/usr/bin/env bash
# Run here (online), before a device session: fills .whl/ (git-ignored) with what the
# device image lacks. The device has no internet, so pycuda travels as its sdist and is
# built there by bench/gpu/setup_device.sh; the rest travel as wheels for its Python 3.12.
# Pass the folder as `carry: [".whl"]` to the device tool.
set -euo pipefail
cd "$(dirname "$0")/../.."
dest=.whl
mkdir -p "$dest"
python3 -m pip download -q --no-deps -d "$dest" "pycuda==2026.1"
# xdsl and its needs, and pycuda's runtime needs the device image does not hold
# (it has numpy, onnx, mako's MarkupSafe, typing-extensions, setuptools and wheel).
python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 \
    --implementation cp --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 \
    --platform manylinux2014_x86_64 --platform any -d "$dest" \
    "xdsl==0.74.0" immutabledict ordered-set pytools platformdirs siphash24 mako \
    "filecheck==1.0.6" lit
du -sh "$dest"
