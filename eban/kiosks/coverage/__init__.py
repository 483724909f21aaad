"""Coverage: who lives within a walk of a terminal, and where new terminals would reach most people."""
