"""relayout's entry in xDSL's plugin universe: the stock `xdsl-opt` finds our dialect,
passes and the `cuda` target through the `xdsl.universe` entry point. Imports stay
inside the factories because xdsl-opt loads this module on every start."""

from xdsl.universe import Universe


def _nn():
    # Registers the nn canonicalization patterns, which live with the passes.
    import relayout.passes.canonicalization_patterns  # noqa: F401
    from relayout.dialects.nn import NN

    return NN


def _pass(module: str, cls: str):
    def factory():
        from importlib import import_module

        return getattr(import_module(f"relayout.passes.{module}"), cls)

    return factory


PASSES = {
    "convert-layout": ("convert_layout", "ConvertLayoutPass"),
    "simplify-layout-transforms": ("simplify_layout_transforms", "SimplifyLayoutTransformsPass"),
    "fold-constants": ("fold_constants", "FoldConstantsPass"),
    "fold-batch-norm": ("fold_batch_norm", "FoldBatchNormPass"),
    "explain-layout": ("explain_layout", "ExplainLayoutPass"),
    "optimize-layout": ("optimize_layout", "OptimizeLayoutPass"),
    "fuse-ops": ("fuse_ops", "FuseOpsPass"),
}


def _lower_to_cuda():
    from relayout.lowering.cuda.lower_to_cuda import LowerToCudaPass

    return LowerToCudaPass


def _cuda():
    from relayout.lowering.cuda.target import CudaTarget

    return CudaTarget


UNIVERSE = Universe(
    all_dialects={"nn": _nn},
    all_passes={
        **{name: _pass(*where) for name, where in PASSES.items()},
        "lower-to-cuda": _lower_to_cuda,
    },
    all_targets={"cuda": _cuda},
)
