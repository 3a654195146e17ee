"""Tests that drive the real app in headless Chromium, and the screenshot script."""
