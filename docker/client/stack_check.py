"""The compose stack's own check: create a customer on the mock over HTTP, and fetch it back.
Standard library only (the image is Debian's python3)."""
import json
import os
import urllib.request

base, key = os.environ["PAYSTACK_BASE_URL"], os.environ["PAYSTACK_SECRET_KEY"]
headers = {"Authorization": "Bearer " + key, "Content-Type": "application/json"}
request = urllib.request.Request(base + "/customer", data=json.dumps({"email": "stack@example.com"}).encode(), headers=headers)
created = json.load(urllib.request.urlopen(request, timeout=10))
assert created["message"] == "Customer created", created
code = created["data"]["customer_code"]
fetched = json.load(urllib.request.urlopen(urllib.request.Request(base + "/customer/" + code, headers=headers), timeout=10))
assert fetched["data"]["email"] == "stack@example.com", fetched
print("stack check passed: created and fetched", code)
