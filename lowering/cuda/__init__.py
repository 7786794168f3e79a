"""Lowering of fused nn modules to one CUDA C translation unit and a host plan."""
