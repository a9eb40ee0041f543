"""The ports: what the domain needs from the outside world, as ``typing.Protocol``s.

Import each port from its module (``pullit_domain.ports.file_store`` ...). This package
re-exports nothing on purpose: entities may use the ports' value objects, and eager
re-exports here would make those imports circular.
"""
