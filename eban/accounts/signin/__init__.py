"""Signing in: by phone and SMS code on the web, by ID card or face at a kiosk."""
