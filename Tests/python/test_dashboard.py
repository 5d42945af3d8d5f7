"""The dashboard in a real headless Chromium (Debian's chromium and chromium-driver, driven by
Selenium): what a demo watches and does, checked against the API."""
import hashlib
import hmac
import json
import os
import pathlib
import socket
import subprocess
import time
import urllib.request

import pytest
from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import ACME_TEST_KEY, ROOT, MockServer

# Screenshots of each view: into SCREENSHOTS (the README's come from `SCREENSHOTS=docs/screenshots make test`).
SHOTS = pathlib.Path(os.environ.get("SCREENSHOTS", ROOT / ".build" / "screenshots"))


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1440,1000"]:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def dashboard_server():
    mock = MockServer("--kyc-delay", "0.3", "--webhook-url", "http://127.0.0.1:9/hook", "--webhook-retries", "none")
    yield mock
    mock.stop()


def find(driver, name, many=False):
    selector = f'[data-testid="{name}"]'
    return driver.find_elements(By.CSS_SELECTOR, selector) if many else driver.find_element(By.CSS_SELECTOR, selector)


def wait(driver, condition, timeout=5, message=""):
    return WebDriverWait(driver, timeout, poll_frequency=0.05,
                         ignored_exceptions=(StaleElementReferenceException, NoSuchElementException, IndexError)).until(
        lambda _: condition(), message)


def call(server, method, path, body=None, key=ACME_TEST_KEY, headers=None):
    request = urllib.request.Request(server.url + path, method=method, data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json", **({"Authorization": f"Bearer {key}"} if key else {}), **(headers or {})})
    try:
        with urllib.request.urlopen(request) as answer:
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def console_errors(driver):
    return [entry for entry in driver.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]


def shot(driver, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SHOTS / f"{name}.png"))


def test_the_dashboard_shows_and_steers_the_sandbox(browser, dashboard_server):
    server = dashboard_server
    browser.get(server.url + "/")  # a browser's Accept: text/html leads to the dashboard
    wait(browser, lambda: len(find(browser, "integration-card", True)) == 2, message="the overview lists both integrations")
    assert "/_sandbox/dashboard/" in browser.current_url
    wait(browser, lambda: find(browser, "live-indicator").text == "live", message="the event stream is up")
    shot(browser, "01-overview")
    assert console_errors(browser) == [], "the page loads with no console errors"

    # Seeded customers, newest first; a customer the app under demo creates appears without a reload.
    find(browser, "nav-customers").click()
    wait(browser, lambda: len(find(browser, "customer-row", True)) == 20, message="a page of seeded customers")
    first = find(browser, "customer-row", True)[0].get_attribute("data-code")
    _, listed = call(server, "GET", "/customer?perPage=1")
    assert first == listed["data"][0]["customer_code"], "newest first, as the API lists them"
    shot(browser, "02-customers")
    started = time.monotonic()
    _, created = call(server, "POST", "/customer", {"email": "demo-live@example.com", "first_name": "Demo"})
    code = created["data"]["customer_code"]
    wait(browser, lambda: find(browser, "customer-row", True)[0].get_attribute("data-code") == code, timeout=2,
         message="the new customer appears within 2 s without a reload")
    assert time.monotonic() - started < 2

    # Its page: blacklist it, give it a card, identify it with the test credential.
    find(browser, "customer-row", True)[0].click()
    wait(browser, lambda: find(browser, "risk-current").text == "default", message="the customer page")
    find(browser, "risk-deny").click()
    wait(browser, lambda: find(browser, "risk-current").text == "deny")
    _, fetched = call(server, "GET", f"/customer/{code}")
    assert fetched["data"]["risk_action"] == "deny", "blacklisting in the page shows deny through the API"
    find(browser, "add-card").click()
    wait(browser, lambda: len(find(browser, "card-row", True)) == 1, message="a saved card")
    _, fetched = call(server, "GET", f"/customer/{code}")
    assert len(fetched["data"]["authorizations"]) == 1
    Select(find(browser, "identify-account")).select_by_value("0111111111")
    find(browser, "identify-submit").click()
    wait(browser, lambda: find(browser, "identified-state").text == "yes", timeout=8, message="identified after the outcome")
    _, fetched = call(server, "GET", f"/customer/{code}")
    assert fetched["data"]["identified"] is True
    shot(browser, "03-customer")

    # The signed delivery is listed.
    find(browser, "nav-webhooks").click()
    wait(browser, lambda: any(code in row.text or row.get_attribute("data-event") == "customeridentification.success"
                              for row in find(browser, "webhook-row", True)), message="the delivery is listed")
    _, deliveries = call(server, "GET", "/_sandbox/webhooks")
    ours = [d for d in deliveries["data"] if code in d["body"]][0]
    assert ours["signature"] == hmac.new(ACME_TEST_KEY.encode(), ours["body"].encode(), hashlib.sha512).hexdigest()
    shot(browser, "04-webhooks")

    find(browser, "nav-requests").click()
    wait(browser, lambda: len(find(browser, "request-row", True)) > 3, message="the journal")
    shot(browser, "05-requests")

    # A fault rule added in the page forces its status on an API call.
    find(browser, "nav-sandbox").click()
    Select(find(browser, "fault-method")).select_by_value("GET")
    find(browser, "fault-path").clear()
    find(browser, "fault-path").send_keys("/customer/*")
    find(browser, "fault-status").send_keys("503")
    find(browser, "fault-add").click()
    wait(browser, lambda: len(find(browser, "fault-row", True)) == 1, message="the rule is listed")
    status, answer = call(server, "GET", f"/customer/{code}")
    assert status == 503 and answer["code"] == "unknown"
    shot(browser, "06-sandbox")
    find(browser, "faults-clear").click()
    wait(browser, lambda: len(find(browser, "fault-row", True)) == 0)

    # Reset in the page empties what the test created.
    find(browser, "reset-all").click()
    find(browser, "reset-confirm").click()
    wait(browser, lambda: call(server, "GET", f"/customer/{code}")[0] == 404, message="reset")
    assert console_errors(browser) == [], [entry["message"] for entry in console_errors(browser)]


def test_with_an_admin_token_the_page_shows_nothing_until_it_is_given(browser):
    mock = MockServer("--admin-token", "demo-token")
    try:
        browser.execute_script("try { sessionStorage.clear() } catch (e) {}")
        browser.get(mock.url + "/_sandbox/dashboard/")
        wait(browser, lambda: find(browser, "admin-token-input").is_displayed(), message="the page asks for the token")
        assert find(browser, "integration-card", True) == [] or not any(card.is_displayed() for card in find(browser, "integration-card", True))
        assert "sk_test_" not in browser.find_element(By.TAG_NAME, "body").text, "no key is shown before the token"
        find(browser, "admin-token-input").send_keys("demo-token")
        find(browser, "admin-token-submit").click()
        wait(browser, lambda: len(find(browser, "integration-card", True)) == 2, message="data once the token is given")
    finally:
        browser.execute_script("try { sessionStorage.clear() } catch (e) {}")
        mock.stop()


def fetch_seconds(server, count=200):
    started = time.perf_counter()
    for _ in range(count):
        call(server, "GET", "/customer?perPage=1")
    return (time.perf_counter() - started) / count


def test_fifty_open_event_streams_do_not_slow_answers_and_shutdown_stays_prompt():
    mock = MockServer()
    try:
        port = int(mock.url.rsplit(":", 1)[1])
        baseline = min(fetch_seconds(mock) for _ in range(3))
        streams = []
        for _ in range(50):
            stream = socket.create_connection(("127.0.0.1", port))
            stream.sendall(b"GET /_sandbox/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            streams.append(stream)
        time.sleep(0.3)
        with_streams = min(fetch_seconds(mock) for _ in range(3))
        # Each request now also goes to 50 streams as an event; allow noise, not a slowdown.
        assert with_streams < baseline * 2 + 0.002, f"{with_streams * 1e3:.2f} ms against {baseline * 1e3:.2f} ms per request"
        streams[0].settimeout(2)
        assert b"event: request" in streams[0].recv(65536), "the streams get the events"
        status, _ = call(mock, "GET", "/_sandbox/health")
        assert status == 200
        started = time.monotonic()
        mock.stop()  # SIGTERM with 50 streams open: exits 0 (asserted by stop), promptly
        assert time.monotonic() - started < 4
    finally:
        for stream in streams:
            stream.close()
        if mock.process.poll() is None:
            mock.process.kill()
