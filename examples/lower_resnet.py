"""Import a small ResNet-18, run it in NHWC, see what data movement is left, and run it.

    python examples/lower_resnet.py
"""

from collections import Counter

import numpy as np

import relayout
from relayout.frontend.models import resnet18

# A 32x32 image keeps the reference interpreter quick; the layouts do not depend on it.
module = relayout.from_onnx(resnet18(batch=1, size=32))
before = Counter(op.name for op in module.walk())

# Every conv2d runs in NHWC with the kernel layout chosen per conv; weight transforms
# are folded into the constants, so only the input's transform remains.
relayout.optimize(module, conv2d=("NHWC", "default"))
after = Counter(op.name for op in module.walk())
print(f"conv2d: {after['nn.conv2d']}, batch_norm folded: {before['nn.batch_norm']}, "
      f"layout_transform left: {after['nn.layout_transform']}")
for line in relayout.explain(module):
    print(line)

x = np.random.default_rng(0).standard_normal((1, 3, 32, 32)).astype(np.float32)
(logits,) = relayout.run(module, [x], device="cpu")
print(f"logits {logits.shape}, top class {int(logits.argmax())}")

# The generated CUDA C, emulated on the CPU, with the convs on TF32 tensor cores.
(tf32,) = relayout.run(module, [x], device="emulate", precision="tf32")
print(f"tf32 top class {int(tf32.argmax())}, max |difference| {np.abs(tf32 - logits).max():.2g}")
