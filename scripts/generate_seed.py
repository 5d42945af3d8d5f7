#!/usr/bin/env python3
"""Generates a seed-data folder (integrations.json, customers.json, authorizations.json).

The bundled seed-data/ was made with the defaults. The benchmark makes a large one with
--customers 1000000 (not committed).
"""
import argparse
import datetime
import json
import os
import random

FIRST = ["Ada", "Chinedu", "Amaka", "Tunde", "Ngozi", "Kwame", "Zainab", "Ifeoma", "Bola", "Emeka",
         "Funmi", "Yusuf", "Kemi", "Obinna", "Aisha", "Segun", "Nneka", "Femi", "Halima", "Uche"]
LAST = ["Okafor", "Adeyemi", "Mensah", "Balogun", "Eze", "Okoro", "Bello", "Nwosu", "Abubakar", "Ogunleye",
        "Danjuma", "Asante", "Chukwu", "Lawal", "Obi", "Afolabi", "Ibrahim", "Okeke", "Boateng", "Adebayo"]
BANKS = ["TEST BANK", "Access Bank", "Guaranty Trust Bank", "Zenith Bank", "First Bank of Nigeria"]
CARDS = [("408408", "visa", "visa "), ("506099", "verve", "verve "), ("539983", "mastercard", "mastercard ")]


def key(rng, prefix):
    return prefix + "".join(rng.choice("0123456789abcdef") for _ in range(40))


def code(rng, prefix, length, alphabet="abcdefghijklmnopqrstuvwxyz0123456789"):
    return prefix + "".join(rng.choice(alphabet) for _ in range(length))


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="seed-data")
    parser.add_argument("--customers", type=int, default=72)
    parser.add_argument("--authorizations", type=int, default=14)
    parser.add_argument("--seed", type=int, default=20261129)
    parser.add_argument("--end", default="2026-11-20T12:00:00")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    integrations = [
        {"id": 463433, "business_name": "Acme Stores (demo)",
         "secret_keys": {"test": "sk_test_" + "a1" * 20, "live": "sk_live_" + "b2" * 20},
         "public_keys": {"test": "pk_test_" + "c3" * 20, "live": "pk_live_" + "d4" * 20},
         "webhook_url": None, "forbid_allow_risk_action": False},
        {"id": 512870, "business_name": "Savanna Lending (cannot whitelist)",
         "secret_keys": {"test": key(rng, "sk_test_"), "live": key(rng, "sk_live_")},
         "public_keys": {"test": key(rng, "pk_test_"), "live": key(rng, "pk_live_")},
         "webhook_url": None, "forbid_allow_risk_action": True},
    ]
    # Where customers go: most to the first integration's test domain, so its lists paginate.
    ledgers = [(463433, "test", 0.62), (463433, "live", 0.14), (512870, "test", 0.16), (512870, "live", 0.08)]

    end = datetime.datetime.fromisoformat(args.end)
    span = datetime.timedelta(days=200).total_seconds()
    moments = sorted(end - datetime.timedelta(seconds=rng.uniform(0, span)) for _ in range(args.customers))
    customers, codes = [], set()
    for index, moment in enumerate(moments):
        roll, acc = rng.random(), 0.0
        for integration, domain, share in ledgers:
            acc += share
            if roll <= acc:
                break
        while True:
            customer_code = code(rng, "CUS_", 15)
            if customer_code not in codes:
                codes.add(customer_code)
                break
        first, last = rng.choice(FIRST), rng.choice(LAST)
        named = rng.random() < 0.7
        customer = {
            "id": 90_000_001 + index, "integration": integration, "domain": domain,
            "customer_code": customer_code,
            "email": f"{first.lower()}.{last.lower()}{index}@example.com",
            "first_name": first if named else None, "last_name": last if named else None,
            "phone": ("+234" + str(rng.randint(7000000000, 9099999999))) if rng.random() < 0.5 else None,
            "metadata": ({"segment": rng.choice(["retail", "wholesale", "vip"]), "source": "seed"}
                         if rng.random() < 0.35 else None),
            "risk_action": rng.choices(["default", "allow", "deny"], [0.85, 0.1, 0.05])[0]
                           if integration == 463433 else rng.choice(["default", "deny"]),
            "identified": False, "identifications": None,
            "createdAt": iso(moment), "updatedAt": iso(moment + datetime.timedelta(hours=rng.randint(0, 72))),
        }
        if customer["updatedAt"] > iso(end):
            customer["updatedAt"] = customer["createdAt"]
        customers.append(customer)

    authorizations = []
    owners = rng.sample(customers, min(args.authorizations, len(customers)))
    auth_codes = set()
    for owner in owners:
        bin_, brand, card_type = rng.choice(CARDS)
        while True:
            auth_code = code(rng, "AUTH_", 10)
            if auth_code not in auth_codes:
                auth_codes.add(auth_code)
                break
        authorizations.append({
            "customer": owner["customer_code"], "integration": owner["integration"],
            "authorization_code": auth_code, "bin": bin_, "last4": str(rng.randint(1000, 9999)),
            "exp_month": f"{rng.randint(1, 12):02d}", "exp_year": str(rng.randint(2027, 2032)),
            "channel": "card", "card_type": card_type, "bank": rng.choice(BANKS), "country_code": "NG",
            "brand": brand, "reusable": True,
            "signature": code(rng, "SIG_", 20, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
            "account_name": None,
        })

    os.makedirs(args.out, exist_ok=True)
    large = args.customers > 10_000
    for name, records in (("integrations.json", integrations), ("customers.json", customers),
                          ("authorizations.json", authorizations)):
        with open(os.path.join(args.out, name), "w") as handle:
            if large:
                json.dump(records, handle, separators=(",", ":"))
            else:
                json.dump(records, handle, indent=2)
            handle.write("\n")


if __name__ == "__main__":
    main()
