"""`tospolicy import fides`: Fides manifests to declarations and a rule pack."""
