"""What runs besides request handling: the durable loops, the event dispatcher, worker processes."""
