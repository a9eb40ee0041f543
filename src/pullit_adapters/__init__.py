"""Adapters: the ports of ``pullit_domain`` implemented against real services and fakes."""
