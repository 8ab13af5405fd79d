"""Open Contracting Data Standard (OCDS) support for BESA.

Pure Python: nothing in this package imports Django or touches the network.
``besa.ocds.schema`` holds the vendored OCDS 1.1.5 schema patched with BESA's extensions,
validation against it, and the ``ocdsmerge`` merger built from it.
"""
