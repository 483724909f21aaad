"""The fleet in the back office: terminals with their health, their alerts and their tokens."""
