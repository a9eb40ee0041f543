"""The web shell: Litestar app factory, controllers, settings, container and CLI."""
