"""Canonicalization patterns of the nn ops, one file per dialect file (as in
``xdsl/transforms/canonicalization_patterns/``). Importing this package registers them
with the dialect (`relayout.dialects.nn.registry.register_canonicalization`), so that
xDSL's `canonicalize` applies them; `relayout.passes` and the xdsl-opt universe import
it. The dialect itself never imports passes.
"""

from relayout.dialects.nn import LayoutTransformOp, ReshapeOp
from relayout.dialects.nn.registry import register_canonicalization
from relayout.passes.canonicalization_patterns import layout_transform as layout_transform
from relayout.passes.canonicalization_patterns import shape_ops as shape_ops

register_canonicalization(LayoutTransformOp, *layout_transform.PATTERNS)
register_canonicalization(ReshapeOp, *shape_ops.PATTERNS)
