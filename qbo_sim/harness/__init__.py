"""The qbo-sim scenario harness."""
