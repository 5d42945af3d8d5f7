#!/usr/bin/env python3
"""Checks a Paystack webhook signature: verify_signature.py BODY_FILE SIGNATURE SECRET_KEY.
Exit 0 when x-paystack-signature (lowercase hex HMAC-SHA512 of the raw body) matches."""
import hashlib
import hmac
import sys

body_file, signature, secret_key = sys.argv[1:4]
with open(body_file, "rb") as handle:
    expected = hmac.new(secret_key.encode(), handle.read(), hashlib.sha512).hexdigest()
valid = hmac.compare_digest(expected, signature)
print("valid" if valid else "invalid")
sys.exit(0 if valid else 1)
