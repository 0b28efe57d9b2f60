"""Handlers by role; each is a thin async function over the storage services."""
