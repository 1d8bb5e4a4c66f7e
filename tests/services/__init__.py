"""Real servers the tests start on loopback ports (Virtuoso, ...), each in its own module."""
