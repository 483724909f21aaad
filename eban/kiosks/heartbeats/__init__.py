"""Heartbeats: what each terminal reports every minute, through the API route and the WSGI lane;
the refusals, and how long the history is kept."""
