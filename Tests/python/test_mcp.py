"""The MCP surface with the official `mcp` client (2.3): over stdio and over HTTP, in its `auto`
(2026-07-28, server/discover first) and `legacy` (initialize) modes."""
import asyncio
import hashlib
import hmac
import json
import time
import urllib.request

import httpx2
import pytest
import yaml
from mcp import Client, MCPError, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client

from conftest import ACME_TEST_KEY, BINARY, ROOT, SEED, MockServer

MODES = ["auto", "legacy"]
EXPECTED_TOOLS = {
    "create_customer", "list_customers", "fetch_customer", "update_customer", "set_risk_action", "deactivate_authorization",
    "validate_customer", "sandbox_health", "sandbox_reset", "sandbox_get_clock", "sandbox_set_clock", "sandbox_add_fault",
    "sandbox_list_faults", "sandbox_clear_faults", "sandbox_requests", "sandbox_webhook_deliveries", "sandbox_redeliver_webhook",
    "sandbox_send_test_webhook", "sandbox_set_webhook_url", "sandbox_add_authorization", "paystack_request",
}


def run(coroutine):
    return asyncio.run(coroutine)


@pytest.fixture(scope="module")
def http_server():
    mock = MockServer("--kyc-delay", "0.2", "--webhook-retries", "none")
    yield mock
    mock.stop()


def http_client(server, mode, headers=None):
    transport = streamable_http_client(server.url + "/mcp", http_client=httpx2.AsyncClient(headers=headers or {}))
    return Client(transport, mode=mode, read_timeout_seconds=30)


def stdio_client(mode, *flags):
    parameters = StdioServerParameters(
        command=BINARY, args=["mcp", "--port", "0", "--seed-data", SEED, "--log-level", "error", *flags])
    return Client(parameters, mode=mode, read_timeout_seconds=30)


def rest(server, method, path, body=None, key=ACME_TEST_KEY):
    request = urllib.request.Request(server.url + path, method=method, data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.mark.parametrize("mode", MODES)
def test_over_http_tools_and_resources_are_listed_and_connect_is_quick(http_server, mode):
    async def scenario():
        started = time.perf_counter()
        async with http_client(http_server, mode) as client:
            connected = time.perf_counter() - started
            assert client.protocol_version == ("2026-07-28" if mode == "auto" else "2025-11-25")
            tools = {tool.name: tool for tool in (await client.list_tools()).tools}
            assert set(tools) == EXPECTED_TOOLS
            assert tools["fetch_customer"].annotations.read_only_hint is True
            assert tools["sandbox_reset"].annotations.destructive_hint is True
            assert tools["create_customer"].input_schema["required"] == ["email"]
            resources = {resource.uri for resource in (await client.list_resources()).resources}
            assert resources == {"paystack-mock://openapi.yml", "paystack-mock://kyc-outcomes", "paystack-mock://state"}
            templates = (await client.list_resource_templates()).resource_templates
            assert [template.uri_template for template in templates] == ["paystack-mock://customers/{customer}"]
            spec = await client.read_resource("paystack-mock://openapi.yml")
            assert spec.contents[0].text == (ROOT / "Sources" / "PaystackMock" / "openapi.yml").read_text()
            kyc = json.loads((await client.read_resource("paystack-mock://kyc-outcomes")).contents[0].text)
            assert kyc["test_credential"]["account_number"] == "0111111111"
            state = json.loads((await client.read_resource("paystack-mock://state")).contents[0].text)
            assert len(state["integrations"]) == 2
            code = state["customers"][0]["customer_code"]
            customer = json.loads((await client.read_resource(f"paystack-mock://customers/{code}")).contents[0].text)
            assert customer["customer_code"] == code
            with pytest.raises(MCPError):
                await client.read_resource("paystack-mock://customers/CUS_nothere00000000")
            with pytest.raises(MCPError) as unknown:
                await client.call_tool("no_such_tool", {})
            assert unknown.value.code == -32602
            return connected
    connected = run(scenario())
    assert connected < 1.0, f"connected in {connected:.2f} s (an unanswered server/discover costs 10 s)"


@pytest.mark.parametrize("mode", MODES)
def test_over_stdio_the_same_tools_and_a_call(mode):
    async def scenario():
        started = time.perf_counter()
        async with stdio_client(mode) as client:
            connected = time.perf_counter() - started
            assert {tool.name for tool in (await client.list_tools()).tools} == EXPECTED_TOOLS
            listed = await client.call_tool("list_customers", {"perPage": 2})
            assert listed.is_error is False
            assert listed.structured_content["message"] == "Customers retrieved"
            assert len(listed.structured_content["data"]) == 2
            health = await client.call_tool("sandbox_health", {})
            assert health.structured_content["data"]["customers"] == 72
            return connected
    assert run(scenario()) < 1.5, "stdio starts the binary too"


def test_every_tool_answers_the_same_bytes_as_the_rest_call(http_server):
    """Each tool on a fresh server, against the same REST call on another fresh one: same bytes."""
    async def scenario(mcp_server):
        async with http_client(mcp_server, "auto") as client:
            results = {}
            for name, arguments, method, path, body in CALLS:
                result = await client.call_tool(name, arguments)
                results[name] = (result.is_error, result.content[0].text)
            return results

    rest_server, mcp_server = MockServer("--deterministic"), MockServer("--deterministic")
    try:
        by_tool = run(scenario(mcp_server))
        for name, arguments, method, path, body in CALLS:
            status, text = rest(rest_server, method, path, body)
            is_error, tool_text = by_tool[name]
            assert is_error == (status >= 400), name
            if name == "sandbox_health":  # uptime and the servers' own URLs differ; nothing else may
                volatile = ("uptime_seconds", "base_urls")
                tool_text, text = ([json.dumps({k: v for k, v in json.loads(t)["data"].items() if k not in volatile})] * 1 for t in (tool_text, text))
            assert tool_text == text, name
    finally:
        rest_server.stop()
        mcp_server.stop()


CALLS = [
    ("create_customer", {"email": "mcp@example.com", "first_name": "Em"}, "POST", "/customer", {"email": "mcp@example.com", "first_name": "Em"}),
    ("list_customers", {"perPage": 3, "page": 2}, "GET", "/customer?perPage=3&page=2", None),
    ("fetch_customer", {"customer": "mcp@example.com"}, "GET", "/customer/mcp%40example.com", None),
    ("update_customer", {"customer": "mcp@example.com", "last_name": "Cee"}, "PUT", "/customer/mcp%40example.com", {"last_name": "Cee"}),
    ("set_risk_action", {"customer": "mcp@example.com", "risk_action": "deny"}, "POST", "/customer/set_risk_action",
     {"customer": "mcp@example.com", "risk_action": "deny"}),
    ("deactivate_authorization", {"authorization_code": "AUTH_nothere0001"}, "POST", "/customer/authorization/deactivate",
     {"authorization_code": "AUTH_nothere0001"}),
    ("validate_customer", {"customer": "mcp@example.com", "country": "NG", "type": "bank_account", "account_number": "0111111111",
                           "bvn": "222222222221", "bank_code": "007", "first_name": "U", "last_name": "O"},
     "POST", "/customer/mcp%40example.com/identification",
     {"country": "NG", "type": "bank_account", "account_number": "0111111111", "bvn": "222222222221", "bank_code": "007",
      "first_name": "U", "last_name": "O"}),
    ("sandbox_get_clock", {}, "GET", "/_sandbox/clock", None),
    ("sandbox_set_clock", {"advance": 60}, "POST", "/_sandbox/clock", {"advance": 60}),
    ("sandbox_add_fault", {"path": "/nowhere", "status": 503}, "POST", "/_sandbox/faults", {"path": "/nowhere", "status": 503}),
    ("sandbox_list_faults", {}, "GET", "/_sandbox/faults", None),
    ("sandbox_clear_faults", {}, "DELETE", "/_sandbox/faults", None),
    ("sandbox_webhook_deliveries", {}, "GET", "/_sandbox/webhooks", None),
    ("sandbox_redeliver_webhook", {"id": 99}, "POST", "/_sandbox/webhooks/99/redeliver", None),
    ("sandbox_set_webhook_url", {"integration": 463433, "url": None}, "PUT", "/_sandbox/webhook", {"integration": 463433, "url": None}),
    ("sandbox_add_authorization", {"customer": "mcp@example.com", "brand": "verve"}, "POST",
     "/_sandbox/customers/mcp%40example.com/authorizations", {"brand": "verve"}),
    ("paystack_request", {"method": "GET", "path": "/customer", "data": {"perPage": 1}}, "GET", "/customer?perPage=1", None),
    ("sandbox_reset", {}, "POST", "/_sandbox/reset", {}),
    ("sandbox_health", {}, "GET", "/_sandbox/health", None),
]


def test_a_kyc_flow_ends_in_a_signed_webhook_seen_through_the_deliveries_tool(http_server):
    async def scenario():
        async with http_client(http_server, "auto") as client:
            created = await client.call_tool("create_customer", {"email": "kyc-mcp@example.com"})
            code = created.structured_content["data"]["customer_code"]
            await client.call_tool("sandbox_set_webhook_url", {"integration": 463433, "url": "http://127.0.0.1:9/hook"})
            accepted = await client.call_tool("validate_customer", {
                "customer": code, "country": "NG", "type": "bank_account", "account_number": "0111111111",
                "bvn": "222222222221", "bank_code": "007", "first_name": "Uchenna", "last_name": "Okoro"})
            assert accepted.structured_content["message"] == "Customer Identification in progress"
            for _ in range(100):
                deliveries = (await client.call_tool("sandbox_webhook_deliveries", {})).structured_content["data"]
                ours = [d for d in deliveries if code in d["body"]]
                if ours and ours[0]["state"] != "pending":
                    break
                await asyncio.sleep(0.05)
            delivery = ours[0]
            assert delivery["event"] == "customeridentification.success"
            expected = hmac.new(ACME_TEST_KEY.encode(), delivery["body"].encode(), hashlib.sha512).hexdigest()
            assert delivery["signature"] == expected
            fetched = await client.call_tool("fetch_customer", {"customer": code})
            assert fetched.structured_content["data"]["identified"] is True
    run(scenario())


def test_the_admin_token_and_the_origin_policy_apply(tmp_path):
    mock = MockServer("--admin-token", "s3cret")
    try:
        async def with_headers(headers):
            async with http_client(mock, "auto", headers) as client:
                return (await client.call_tool("sandbox_health", {})).structured_content
        with pytest.raises(Exception):
            run(with_headers({}))
        health = run(with_headers({"Authorization": "Bearer s3cret"}))
        assert health["message"] == "Sandbox is healthy"
        foreign = urllib.request.Request(mock.url + "/mcp", method="POST", data=b'{"jsonrpc":"2.0","id":1,"method":"ping"}',
                                         headers={"Authorization": "Bearer s3cret", "Origin": "http://evil.example", "Content-Type": "application/json"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(foreign)
        assert refused.value.code == 403
        assert refused.value.headers.get("Access-Control-Allow-Origin") is None
        for method in ("GET", "DELETE"):
            with pytest.raises(urllib.error.HTTPError) as answer:
                urllib.request.urlopen(urllib.request.Request(mock.url + "/mcp", method=method, headers={"Authorization": "Bearer s3cret"}))
            assert answer.value.code == 405 and answer.value.headers["Allow"] == "POST"
    finally:
        mock.stop()
    gone = MockServer("--no-admin")
    try:
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(urllib.request.Request(gone.url + "/mcp", method="POST", data=b"{}"))
        assert answer.value.code == 404
    finally:
        gone.stop()


def test_tool_schemas_agree_with_openapi():
    """Each customer tool's arguments are the operation's parameters and body members in
    openapi.yml, with the same types and enums."""
    spec = yaml.safe_load((ROOT / "Sources" / "PaystackMock" / "openapi.yml").read_text())

    def resolve(schema):
        while "$ref" in schema:
            node = spec
            for part in schema["$ref"].lstrip("#/").split("/"):
                node = node[part]
            schema = node
        return schema

    def operation_fields(path, method):
        operation = spec["paths"][path][method]
        fields = {}
        for parameter in operation.get("parameters", []) + spec["paths"][path].get("parameters", []):
            parameter = resolve(parameter)
            fields[parameter["name"]] = resolve(parameter.get("schema", {}))
        def collect(schema):
            schema = resolve(schema)
            for name, member in schema.get("properties", {}).items():
                fields.setdefault(name, resolve(member))
            for combined in ("allOf", "oneOf", "anyOf"):
                for part in schema.get(combined, []):
                    collect(part)

        body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
        if body:
            collect(body)
        return fields

    async def tools():
        async with stdio_client("legacy") as client:
            return {tool.name: tool for tool in (await client.list_tools()).tools}
    listed = run(tools())
    routes = {
        "create_customer": ("/customer", "post"), "list_customers": ("/customer", "get"),
        "fetch_customer": ("/customer/{code}", "get"), "update_customer": ("/customer/{code}", "put"),
        "set_risk_action": ("/customer/set_risk_action", "post"), "deactivate_authorization": ("/customer/authorization/deactivate", "post"),
        "validate_customer": ("/customer/{code}/identification", "post"), "sandbox_set_clock": ("/_sandbox/clock", "post"),
        "sandbox_add_fault": ("/_sandbox/faults", "post"), "sandbox_add_authorization": ("/_sandbox/customers/{customer}/authorizations", "post"),
    }
    for name, (path, method) in routes.items():
        fields = operation_fields(path, method)
        properties = listed[name].input_schema["properties"]
        for argument, schema in properties.items():
            if argument in ("integration", "customer") and argument not in fields:
                continue  # chooses the key / fills the path's {code}
            assert argument in fields, f"{name}.{argument} is not in openapi.yml's {method.upper()} {path}"
            documented = fields[argument]
            if "type" in schema and "type" in documented:
                types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
                assert documented["type"] in types, f"{name}.{argument}: {schema['type']} against {documented['type']}"
            if "enum" in schema:
                assert set(schema["enum"]) <= set(documented.get("enum", schema["enum"])), f"{name}.{argument} enum"
        required = set(listed[name].input_schema.get("required", [])) - {"customer"}
        body_required = set(resolve(spec["paths"][path][method].get("requestBody", {}).get("content", {})
                                    .get("application/json", {}).get("schema", {})).get("required", []))
        assert body_required <= required | {"customer"}, f"{name}: openapi requires {body_required - required}"
