"""The HTTP shell: the app factory, controllers, authentication, problem details, limits, logs."""
