"""Emergencies first: the patterns of urgent messages and the emergency classifier."""
