"""Services that own the rules of the domain. Each takes the session first; the caller commits."""
