"""Tools run by hand, not by the test suite: `make screenshots` redraws docs/screenshots/."""
