"""Fuzzers: random well-typed `nn` networks checked for meaning across the pipelines,
and mutated textual IR and ONNX files checked for clean errors. They need hypothesis
(the `test` extra); `bench/fuzz.py` runs their long versions."""
