"""The operators' side: the case store and the web console."""
