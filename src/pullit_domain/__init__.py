"""Pullit's domain: entities, value objects, use cases and the ports they need.

Pure Python. Nothing here imports an adapter, the web shell or an I/O library.
"""
