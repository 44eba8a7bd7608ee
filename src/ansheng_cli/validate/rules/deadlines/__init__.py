"""Deadline rules (x5xx): every deadline parses, and falls inside the plan's time."""
