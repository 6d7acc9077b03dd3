"""pytest plugin collecting scenario files. Placeholder."""
