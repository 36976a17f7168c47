"""What the sustain part of resources wires up when the app is ready: panels on other
apps' pages, search providers, signal receivers."""
