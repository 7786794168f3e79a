"""The data-movement report: per launch, each distinct input read once and the output
written once (4 bytes an element), FLOPs by the kernel family's rule; the network's
total against the floor. The expected numbers are worked out by hand."""

import json

from relayout.cli import main
from relayout.dialects.context import parse_module
from relayout.lowering.cuda.report import plan_and_report

# NHWC throughout, so no transform is fused anywhere and the launches are fixed.
NET = """
func.func @main(%x: tensor<1x8x8x4xf32>) -> tensor<1x10xf32> {
  %w = nn.constant dense<0.1> : tensor<3x3x4x6xf32>
  %b = nn.constant dense<0.2> : tensor<6xf32>
  %d = nn.constant dense<0.05> : tensor<10x6xf32>
  %c = nn.conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>, data_layout = "NHWC", kernel_layout = "HWIO"} : (tensor<1x8x8x4xf32>, tensor<3x3x4x6xf32>) -> tensor<1x8x8x6xf32>
  %a = nn.bias_add %c, %b {axis = 3 : i64} : (tensor<1x8x8x6xf32>, tensor<6xf32>) -> tensor<1x8x8x6xf32>
  %r = nn.relu %a : tensor<1x8x8x6xf32>
  %p = nn.max_pool2d %r {pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2>, layout = "NHWC"} : (tensor<1x8x8x6xf32>) -> tensor<1x4x4x6xf32>
  %g = nn.global_avg_pool2d %p {layout = "NHWC"} : (tensor<1x4x4x6xf32>) -> tensor<1x1x1x6xf32>
  %f = nn.batch_flatten %g : (tensor<1x1x1x6xf32>) -> tensor<1x6xf32>
  %y = nn.dense %f, %d : (tensor<1x6xf32>, tensor<10x6xf32>) -> tensor<1x10xf32>
  func.return %y : tensor<1x10xf32>
}
"""

CONV_OUT = 8 * 8 * 6
# (kernel, bytes read, bytes written, FLOPs)
EXPECTED = [
    # x, weight and bias; 2 FLOPs per tap (3 * 3 * 4) per output, then bias and relu.
    ("fused_nn_conv2d_nn_bias_add_nn_relu", (256 + 216 + 6) * 4, CONV_OUT * 4,
     2 * CONV_OUT * 36 + 2 * CONV_OUT),
    ("fused_nn_max_pool2d", CONV_OUT * 4, 96 * 4, 96 * 4),  # 4 taps per output
    ("fused_nn_global_avg_pool2d", 96 * 4, 6 * 4, 96),  # one add per input
    # The flatten aliases the pool's result; the dense reads it and its 10 x 6 weight.
    ("fused_nn_dense", (6 + 60) * 4, 10 * 4, 2 * 10 * 6),
]
FLOOR = (216 + 6 + 60) * 4 + 256 * 4 + 10 * 4


def test_each_launch_by_hand() -> None:
    _, report = plan_and_report(parse_module(NET))
    got = [(m.kernel, m.bytes_read, m.bytes_written, m.flops) for m in report.launches]
    assert got == EXPECTED
    assert report.aliases == 1
    assert (report.weight_bytes, report.input_bytes, report.output_bytes) == (
        282 * 4, 256 * 4, 40)
    assert report.floor == FLOOR
    assert report.total == sum(r + w for _, r, w, _ in EXPECTED)
    assert report.over_floor == report.total / FLOOR
    conv = report.launches[0]
    assert conv.intensity == conv.flops / (conv.bytes_read + conv.bytes_written)


def test_an_input_read_twice_through_an_alias_counts_once() -> None:
    """``x`` and a reshape of it are one buffer: the add reads it once."""
    _, report = plan_and_report(parse_module("""
    func.func @main(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
      %r = nn.reshape %x {newshape = array<i64: 16>} : (tensor<2x8xf32>) -> tensor<16xf32>
      %s = nn.reshape %r {newshape = array<i64: 2, 8>} : (tensor<16xf32>) -> tensor<2x8xf32>
      %y = nn.add %x, %s : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
      func.return %y : tensor<2x8xf32>
    }"""))
    (add,) = report.launches
    assert (add.bytes_read, add.bytes_written, add.flops) == (64, 64, 16)
    assert report.total == report.floor == 128


def test_a_slice_reads_what_it_keeps_and_moves_no_flops() -> None:
    _, report = plan_and_report(parse_module("""
    func.func @main(%x: tensor<1x6x3x3xf32>) -> tensor<1x3x2x1xf32> {
      %s = nn.slice %x {begin = array<i64: 0, 5, 0, 1>, end = array<i64: 1, -1, 3, 2>, strides = array<i64: 1, -2, 2, 1>} : (tensor<1x6x3x3xf32>) -> tensor<1x3x2x1xf32>
      func.return %s : tensor<1x3x2x1xf32>
    }"""))
    (launch,) = report.launches
    assert (launch.bytes_read, launch.bytes_written, launch.flops) == (24, 24, 0)
    assert report.floor == 54 * 4 + 24


def test_cli_prints_the_table_and_json(tmp_path, capsys) -> None:
    model = tmp_path / "net.mlir"
    model.write_text(NET)
    cu = str(tmp_path / "net.cu")
    argv = ["compile", str(model), "--layout", "NHWC", "--emit", "cuda", "-o", cu, "--report"]
    assert main([*argv, "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "launch  kernel" in out and "FLOP/byte" in out
    assert "fused_nn_conv2d_nn_bias_add_nn_relu" in out
    assert f"floor {FLOOR} bytes" in out
    assert f"// movement: {sum(r for _, r, _, _ in EXPECTED)} bytes read" in (
        tmp_path / "net.cu").read_text()

    assert main([*argv, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)["report"]
    assert set(report) == {"launches", "aliases", "total", "floor", "over_floor"}
    assert [(e["kernel"], e["bytes_read"], e["bytes_written"], e["flops"])
            for e in report["launches"]] == EXPECTED
    assert set(report["launches"][0]) == {"launch", "kernel", "bytes_read", "bytes_written",
                                          "flops", "intensity"}
    assert report["floor"]["bytes"] == FLOOR
    assert report["total"]["bytes"] == report["total"]["bytes_read"] + report["total"][
        "bytes_written"]


def test_cli_report_needs_cuda(capsys) -> None:
    assert main(["compile", "--example", "resnet18", "--layout", "NHWC", "--report"]) == 2
    assert "--report applies to --emit cuda only" in capsys.readouterr().err


def test_a_concat_in_place_moves_what_it_copies() -> None:
    """The sigmoid writes its slice of the concat in place; the concat's launch copies
    the argument x alone: each byte is read once and written once, the floor."""
    _, report = plan_and_report(parse_module("""
    func.func @main(%x: tensor<1x2x2x3xf32>, %y: tensor<1x2x2x5xf32>) -> tensor<1x2x2x8xf32> {
      %a = nn.sigmoid %y : tensor<1x2x2x5xf32>
      %c = nn.concat %x, %a {axis = 3 : i64} : (tensor<1x2x2x3xf32>, tensor<1x2x2x5xf32>) -> tensor<1x2x2x8xf32>
      func.return %c : tensor<1x2x2x8xf32>
    }"""))
    got = [(m.kernel, m.bytes_read, m.bytes_written, m.flops) for m in report.launches]
    assert got == [("fused_sigmoid_sliced", 80, 80, 20), ("fused_concatenate_sliced", 48, 48, 0)]
    assert report.total == report.floor == 256
