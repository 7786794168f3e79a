#!/usr/bin/env bash
# Run on the device machine (no internet), from the repository root, with .whl/ carried
# (filled here by bench/gpu/fetch_wheels.sh). Builds pycuda from its sdist against the
# machine's CUDA and driver, installs it, xdsl and relayout into /tmp/site, and writes
# /tmp/relayout.env to source:  bench/gpu/setup_device.sh && . /tmp/relayout.env
set -euo pipefail
site=/tmp/site
py=${PYTHON:-python3}
wheels=${WHEELS:-.whl}
mkdir -p "$site" /tmp/pycuda-build
$py -m pip install -q --no-index --no-deps --no-compile --upgrade --target "$site" "$wheels"/*.whl
export PYTHONPATH="$site${PYTHONPATH:+:$PYTHONPATH}"

# The first CUDA root that holds cuda.h: nvcc on PATH may be a wrapper script.
cuda_root=
for root in "${CUDA_HOME:-}" "${CUDA_PATH:-}" "$(dirname "$(dirname "$(readlink -f "$(command -v nvcc)")")")" \
        /usr/local/cuda /usr/local/cuda-*; do
    if [ -n "$root" ] && [ -f "$root/include/cuda.h" ]; then cuda_root=$root; break; fi
done
[ -n "$cuda_root" ] || { echo "no CUDA root with include/cuda.h found" >&2; exit 1; }
# Linking needs an unversioned libcuda.so, which driver mounts do not always carry.
libcuda=${LIBCUDA:-$(ldconfig -p | awk '/libcuda\.so\.1 /{print $NF; exit}')}
libcuda=${libcuda:-$(find / -name 'libcuda.so.1' -not -path '*/proc/*' 2>/dev/null | head -1)}
libdir=/tmp/pycuda-build/lib
[ -n "$libcuda" ] || { echo "no libcuda.so.1 (the NVIDIA driver) found" >&2; exit 1; }
mkdir -p "$libdir" && ln -sf "$libcuda" "$libdir/libcuda.so"

tar xzf "$wheels"/pycuda-*.tar.gz -C /tmp/pycuda-build
(
    cd /tmp/pycuda-build/pycuda-*/
    $py configure.py --cuda-root="$cuda_root" --cudadrv-lib-dir="$libdir" \
        --no-cuda-enable-curand >/dev/null
    MAKEFLAGS=-j16 $py -m pip wheel -q . --no-index --no-build-isolation --no-deps \
        -w /tmp/pycuda-build/wheel
)
$py -m pip install -q --no-index --no-deps --no-compile --upgrade --target "$site" \
    /tmp/pycuda-build/wheel/pycuda-*.whl
# relayout itself, not editable, so that its entry points (xdsl-opt's universe, the
# `relayout` command) are registered in the same folder.
$py -m pip install -q --no-index --no-deps --no-build-isolation --no-compile --upgrade \
    --target "$site" .

cat >/tmp/relayout.env <<ENV
export PYTHONPATH="$PYTHONPATH"
export PATH="$site/bin:\$PATH"
ENV
PYTHONPATH="$PYTHONPATH" $py -c "
import pycuda.driver as cuda, relayout
cuda.init()
print('pycuda', cuda.get_version(), 'driver', cuda.get_driver_version(), 'device', cuda.Device(0).name())
"
