"""Fuzzers: random well-typed `nn` networks checked for meaning across the pipelines,
and mutated textual IR and ONNX files checked for clean errors. They need hypothesis
(the `test` extra); `bench/fuzz_meaning.py` and `bench/fuzz_bad_input.py` run their
long versions."""
