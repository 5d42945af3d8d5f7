"""pypaystack2, the most complete Python SDK, pointed at the mock: every customer method it has for
these routes, with each response required to fit its pydantic models."""
import uuid

import pytest
from pypaystack2.enums import Country, Identification, RiskAction
from pypaystack2.models import Customer
from pypaystack2.sub_clients import CustomerClient

from conftest import ACME_LIVE_KEY, ACME_TEST_KEY


class StrictCustomerClient(CustomerClient):
    """Raises on any response that does not fit pypaystack2's models."""

    def _handle_request(self, *args, **kwargs):
        kwargs["raise_serialization_exception"] = True
        return super()._handle_request(*args, **kwargs)


@pytest.fixture()
def client(server):
    customers = StrictCustomerClient(secret_key=ACME_TEST_KEY)
    customers._BASE_URL = server.url
    return customers


def unique_email():
    return f"sdk-{uuid.uuid4().hex[:12]}@example.com"


def test_create_then_fetch_by_code_and_email(client):
    email = unique_email()
    created = client.create(email=email, first_name="Ada", last_name="Obi", phone="+2348000000001",
                            metadata={"plan": "gold", "seats": 3})
    assert created.status_code == 200
    assert created.status is True
    assert created.message == "Customer created"
    assert isinstance(created.data, Customer)
    assert created.data.email == email
    assert created.data.metadata == {"plan": "gold", "seats": 3}
    assert created.data.customer_code.startswith("CUS_") and len(created.data.customer_code) == 19

    by_code = client.get_customer(created.data.customer_code)
    assert by_code.status_code == 200
    assert by_code.message == "Customer retrieved"
    assert by_code.data.id == created.data.id
    assert by_code.data.created_at is not None
    assert by_code.data.dedicated_accounts == []

    by_email = client.get_customer(email.upper())
    assert by_email.data.customer_code == created.data.customer_code


def test_create_twice_returns_the_same_customer(client):
    email = unique_email()
    first = client.create(email=email, first_name="First")
    second = client.create(email=email, first_name="Second")
    assert second.status_code == 200
    assert second.data.id == first.data.id
    assert second.data.first_name == "First"


def test_list_pages_fit_the_model_and_paginate(client):
    first = client.get_customers(pagination=7, page=1)
    assert first.status_code == 200
    assert first.message == "Customers retrieved"
    assert len(first.data) == 7
    assert all(isinstance(item, Customer) for item in first.data)
    total = first.meta["total"]
    assert first.meta["pageCount"] == -(-total // 7)
    second = client.get_customers(pagination=7, page=2)
    assert {c.id for c in first.data}.isdisjoint({c.id for c in second.data})
    assert [c.id for c in first.data] == sorted((c.id for c in first.data), reverse=True)
    assert first.data[-1].id > second.data[0].id


def test_list_with_date_filters(client):
    window = client.get_customers(start_date="2026-08-01", end_date="2026-09-30T23:59:59.000Z", pagination=100)
    assert window.status_code == 200
    for customer in window.data:
        assert "2026-08-01" <= customer.created_at.isoformat()[:10] <= "2026-09-30"
    everything = client.get_customers(pagination=100)
    assert 0 < window.meta["total"] < everything.meta["total"]


def test_update_replaces_fields(client):
    created = client.create(email=unique_email(), first_name="Old", metadata={"a": 1})
    updated = client.update(created.data.customer_code, first_name="New", metadata={"b": 2})
    assert updated.status_code == 200
    assert updated.message == "Customer updated"
    assert updated.data.first_name == "New"
    assert updated.data.metadata == {"b": 2}
    assert client.get_customer(created.data.customer_code).data.first_name == "New"


def test_flag_sets_risk_action(client):
    created = client.create(email=unique_email())
    for action in (RiskAction.BLACKLIST, RiskAction.WHITELIST, RiskAction.DEFAULT):
        flagged = client.flag(created.data.customer_code, risk_action=action)
        assert flagged.status_code == 200
        assert flagged.data.risk_action == action
    bad = client.flag("CUS_doesnotexist0000")
    assert bad.status_code == 404
    assert bad.message == "Customer not found"


def test_validate_is_accepted(client):
    created = client.create(email=unique_email())
    response = client.validate(
        created.data.customer_code, first_name="Uchenna", last_name="Okoro",
        identification_type=Identification.BANK_ACCOUNT, country=Country.NIGERIA, bvn="222222222221",
        bank_code="007", account_number="0111111111")
    assert response.status_code == 202
    assert response.status is True
    assert response.message == "Customer Identification in progress"
    assert response.data is None


def test_deactivate_authorization(client):
    customers = client.get_customers(pagination=100).data
    with_card = None
    for summary in customers:
        full = client.get_customer(summary.customer_code).data
        if full.authorizations:
            with_card = full
            break
    assert with_card is not None, "the bundled seed has customers with cards in this integration"
    code = with_card.authorizations[0].authorization_code
    done = client.deactivate(code)
    assert done.status_code == 200
    assert done.message == "Authorization has been deactivated"
    again = client.deactivate(code)
    assert again.status_code == 404
    assert again.message == "Authorization code not found."
    remaining = client.get_customer(with_card.customer_code).data.authorizations
    assert code not in [card.authorization_code for card in remaining]


def test_errors_come_back_in_paystacks_envelope(client, server):
    missing = client.get_customer("CUS_nobodyhere00000")
    assert missing.status_code == 404
    assert missing.status is False
    assert missing.code == "not_found"
    assert missing.type == "validation_error"

    invalid = client.create(email="not-an-email")
    assert invalid.status_code == 400
    assert invalid.message == "Invalid Email Address Passed"

    stranger = StrictCustomerClient(secret_key="sk_test_" + "0" * 40)
    stranger._BASE_URL = server.url
    denied = stranger.get_customers()
    assert denied.status_code == 401
    assert denied.message == "Invalid key"


def test_live_key_sees_the_live_domain_only(client, server):
    live = StrictCustomerClient(secret_key=ACME_LIVE_KEY)
    live._BASE_URL = server.url
    created = client.create(email=unique_email())
    other = live.get_customer(created.data.customer_code)
    assert other.status_code == 404
    assert other.message == "Customer code is invalid for your live domain."
    listed = live.get_customers(pagination=100)
    assert all(customer.domain == "live" for customer in listed.data)


def test_a_minted_card_fits_the_strict_models_and_deactivates(client, server):
    import requests

    created = client.create(email=unique_email())
    code = created.data.customer_code
    minted = requests.post(f"{server.url}/_sandbox/customers/{code}/authorizations", json={"brand": "mastercard"}, timeout=10)
    assert minted.status_code == 200
    authorization_code = minted.json()["data"]["authorization_code"]
    fetched = client.get_customer(code)  # strict: raises if the response does not fit the models
    assert [card.authorization_code for card in fetched.data.authorizations] == [authorization_code]
    card = fetched.data.authorizations[0]
    assert (card.bin, card.last4, card.card_type, card.brand) == ("519260", "4796", "mastercard ", "mastercard")
    assert client.deactivate(authorization_code).status is True
    assert client.get_customer(code).data.authorizations == []
