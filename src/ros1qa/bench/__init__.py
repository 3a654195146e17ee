"""``ros1qa bench``: speed and scale figures, each printed beside a floor measured in the same run."""
