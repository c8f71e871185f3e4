"""Handouts: one format-neutral content model, rendering, pictures and PDF."""
