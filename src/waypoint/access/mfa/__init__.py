"""Two-step verification: an authenticator app, passkeys and recovery codes, asked for after the
password at sign-in, and required of staff where the organisation says so."""
