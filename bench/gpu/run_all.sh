#!/usr/bin/env bash
# On the device machine, one command for everything only a GPU can show:
#   bench/gpu/setup_device.sh && . /tmp/relayout.env && bench/gpu/run_all.sh $OUT
# writes tests.log and one markdown table per benchmark into the given folder.
# Set COMPILE=1 to also time torch.compile (minutes per network).
set -uo pipefail
out=${1:?usage: run_all.sh OUTDIR}
mkdir -p "$out"
export PYTHONUNBUFFERED=1
python3 -m pytest -m gpu -p no:cacheprovider -q -rs test 2>&1 | tee "$out/tests.log"
cd bench/gpu
python3 layout_transform.py --out "$out"
python3 conv_layers.py --out "$out"
python3 networks.py ${COMPILE:+--compile} --out "$out"
python3 compile_time.py --out "$out"
