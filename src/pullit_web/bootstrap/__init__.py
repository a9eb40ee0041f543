"""Composition: settings read once, and the container that wires adapters to ports."""
