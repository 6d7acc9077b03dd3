"""pytest plugin (``pytest11`` entry point): fixtures for qbo-sim. Placeholder."""
