"""The one error the ONNX frontend raises for a model it cannot import."""


class OnnxImportError(ValueError):
    """An ONNX model is malformed or uses something the importer does not support.

    The message names the node (by name, or by index when unnamed), its op type and what
    is wrong, so a user can find the culprit in a model viewer.
    """
