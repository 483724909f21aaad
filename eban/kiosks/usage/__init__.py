"""Usage: the transactions counted at terminals, their figures in the back office and the .xlsx export."""
