"""The drop-in check: an app that only knows https://api.paystack.co. In the compose network that
name is the mock (a network alias), and the mock's CA comes from the shared volume (SSL_CERT_FILE),
so a create and a fetch succeed with certificate verification on. Standard library only."""
import json
import os
import ssl
import urllib.request

BASE = "https://api.paystack.co"
key = os.environ["PAYSTACK_SECRET_KEY"]
context = ssl.create_default_context()  # OpenSSL's default paths: SSL_CERT_FILE when set
assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
headers = {"Authorization": "Bearer " + key, "Content-Type": "application/json"}
request = urllib.request.Request(BASE + "/customer", data=json.dumps({"email": "drop-in@example.com"}).encode(), headers=headers)
created = json.load(urllib.request.urlopen(request, context=context, timeout=10))
assert created["message"] == "Customer created", created
code = created["data"]["customer_code"]
fetched = json.load(urllib.request.urlopen(urllib.request.Request(BASE + "/customer/" + code, headers=headers), context=context, timeout=10))
assert fetched["data"]["customer_code"] == code, fetched
print("drop-in check passed: created and fetched", code, "over", BASE)
