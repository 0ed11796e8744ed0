"""Persistent buttons: they carry what they act on in their custom_id, so they survive restarts."""
