"""The public finder: the nearest terminals open now, from a position, a place or a division
(the pages at /kiosks/ and GET /api/v1/kiosks/nearest)."""
