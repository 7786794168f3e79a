"""The passes over nn IR. Importing the package registers the nn canonicalization
patterns (`canonicalization_patterns`), so xDSL's `canonicalize` applies them."""

from relayout.passes import canonicalization_patterns as canonicalization_patterns
