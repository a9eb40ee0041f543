from pullit_adapters.notifier_local import InProcessNotifier as InMemoryNotifier

__all__ = ["InMemoryNotifier"]
