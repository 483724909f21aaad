"""Officials: who may manage whom, roles, the second sign-in factor (TOTP) and the password lockout."""
