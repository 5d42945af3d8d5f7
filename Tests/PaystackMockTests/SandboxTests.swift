import EventHTTP
import Foundation
import HTTPTestSupport
import JSON
@testable import PaystackAPI
@testable import PaystackCore
import PaystackMock
import Platform
@testable import Sandbox
import Testing
@testable import Webhooks

@Suite struct SandboxTests {
    @Test func healthReportsCounts() {
        let mock = Mock()
        let reply = mock.call(.GET, "/_sandbox/health", key: nil)
        #expect(reply.status == 200)
        #expect(reply.message == SandboxMessages.healthy)
        #expect(reply.data["integrations"] as? Int == 2)
        #expect(reply.data["customers"] as? Int == 5)
        #expect(reply.data["version"] as? String == SandboxAPI.version)
    }

    @Test func resetRestoresTheSeedAndRestartsIDs() {
        let mock = Mock()
        let first = mock.call(.POST, "/customer", json: ["email": "gone@example.com"]).data["id"] as? Int
        _ = mock.call(.POST, "/customer/set_risk_action", json: ["customer": Fixtures.code(0), "risk_action": "deny"])
        let reset = mock.call(.POST, "/_sandbox/reset", key: nil)
        #expect(reset.status == 200)
        #expect(reset.message == SandboxMessages.resetAll)
        #expect(mock.call(.GET, "/customer/gone@example.com").status == 404)
        #expect(mock.call(.GET, "/customer/\(Fixtures.code(0))").data["risk_action"] as? String == "default")
        let again = mock.call(.POST, "/customer", json: ["email": "again@example.com"]).data["id"] as? Int
        #expect(again == first, "ids start again after the seed's")
    }

    @Test func resetOfOneIntegrationLeavesOthers() {
        let mock = Mock()
        _ = mock.call(.POST, "/customer", json: ["email": "acme@example.com"])
        _ = mock.call(.POST, "/customer", key: Keys.savannaTest, json: ["email": "savanna-new@example.com"])
        let byKey = mock.call(.POST, "/_sandbox/reset", key: nil, json: ["integration": Keys.savannaLive])
        #expect(byKey.status == 200)
        #expect(byKey.message == SandboxMessages.resetOne(Fixtures.savanna.id))
        #expect(mock.call(.GET, "/customer/savanna-new@example.com", key: Keys.savannaTest).status == 404)
        #expect(mock.call(.GET, "/customer/acme@example.com").status == 200, "another integration is untouched")
        let byID = mock.call(.POST, "/_sandbox/reset", key: nil, json: ["integration": Fixtures.acme.id])
        #expect(byID.status == 200)
        #expect(mock.call(.GET, "/customer/acme@example.com").status == 404)
        #expect(mock.call(.POST, "/_sandbox/reset", key: nil, json: ["integration": 42]).status == 404)
        #expect(mock.call(.POST, "/_sandbox/reset", key: nil, json: ["integration": true]).status == 400)
    }

    @Test func adminTokenIsRequiredWhenSet() {
        let mock = Mock(sandbox: SandboxOptions(adminToken: "s3cret"))
        let without = mock.call(.GET, "/_sandbox/health", key: nil)
        #expect(without.status == 401)
        #expect(without.message == SandboxMessages.adminTokenRequired)
        #expect(mock.call(.GET, "/_sandbox/health", key: "wrong").status == 401)
        #expect(mock.call(.GET, "/_sandbox/health", key: "s3cret").status == 200)
        #expect(mock.call(.POST, "/_sandbox/reset", key: "nope").status == 401)
    }

    @Test func noAdminRemovesTheRoutes() {
        let mock = Mock(sandbox: SandboxOptions(adminEnabled: false))
        #expect(mock.call(.GET, "/_sandbox/health", key: nil).status == 404)
        #expect(mock.call(.POST, "/_sandbox/reset", key: nil).status == 404)
    }

    @Test(arguments: [500, 503, 429, 400, 404])
    func mockStatusForcesPaystacksErrorWithoutTouchingTheStore(status: Int) {
        let mock = Mock()
        let before = mock.customerCount
        let reply = mock.call(.POST, "/customer", json: ["email": "forced@example.com"], extraHeaders: ["X-Mock-Status": String(status)])
        #expect(reply.status == status)
        #expect(reply.json["status"] as? Bool == false)
        if status == 429 {
            #expect(reply.message == "Rate limit exceeded!")
            #expect(reply.json["code"] as? String == "rate_limited")
        }
        if status >= 500 { #expect(reply.json["type"] as? String == "api_error") }
        #expect(mock.customerCount == before, "the forced request never reaches the store")
    }

    @Test func badFaultHeadersAre400() {
        let mock = Mock()
        #expect(mock.call(.GET, "/customer", extraHeaders: ["X-Mock-Status": "200"]).message == SandboxMessages.mockStatusInvalid)
        #expect(mock.call(.GET, "/customer", extraHeaders: ["X-Mock-Status": "teapot"]).status == 400)
        #expect(mock.call(.GET, "/customer", extraHeaders: ["X-Mock-Delay": "-1"]).message == SandboxMessages.mockDelayInvalid)
        #expect(mock.call(.GET, "/customer", extraHeaders: ["X-Mock-Delay": "600000"]).status == 400)
    }

    @Test func mockDelayWaitsWithoutBlockingOtherRequests() throws {
        let mock = Mock(live: true)
        let slow = try RawHTTPConnection(port: mock.port)
        try slow.sendRequest("GET", "/customer", headers: ["Authorization": "Bearer \(Keys.acmeTest)", "X-Mock-Delay": "1200"])
        let other = try httpRequest(port: mock.port, "GET", "/customer/\(Fixtures.code(0))", headers: ["Authorization": "Bearer \(Keys.acmeTest)"])
        #expect(other.status == 200)
        #expect(!slow.hasPendingData(), "the delayed answer comes after the undelayed one on the same loop")
        let delayed = try slow.readResponse()
        #expect(delayed.status == 200)
        #expect(delayed.message == Messages.customersRetrieved)
    }

    @Test func corsHeadersAndPreflight() {
        let mock = Mock(sandbox: SandboxOptions(corsOrigin: "http://demo.local"))
        let reply = mock.call(.GET, "/customer")
        #expect(reply.header("Access-Control-Allow-Origin") == "http://demo.local")
        let preflight = mock.call(
            .OPTIONS, "/customer/CUS_x", key: nil,
            extraHeaders: ["Origin": "http://demo.local", "Access-Control-Request-Method": "PUT"])
        #expect(preflight.status == 204)
        #expect(preflight.header("Access-Control-Allow-Methods") == "GET, HEAD, PUT, OPTIONS")
        #expect(preflight.header("Access-Control-Allow-Headers")?.contains("Authorization") == true)
        #expect(preflight.header("Access-Control-Allow-Headers")?.contains("Content-Type") == true)
        #expect(Mock().call(.GET, "/customer").header("Access-Control-Allow-Origin") == "*")
    }
}

@Suite struct SandboxClockTests {
    @Test func clockCanBeReadSetAdvancedAndUnfrozen() {
        let mock = Mock()
        let read = mock.call(.GET, "/_sandbox/clock", key: nil)
        #expect(read.data["now"] as? String == "2025-06-01T12:00:00.000Z")
        #expect(read.data["frozen"] as? Bool == true)
        let advanced = mock.call(.POST, "/_sandbox/clock", key: nil, json: ["advance": 3600])
        #expect(advanced.data["now"] as? String == "2025-06-01T13:00:00.000Z")
        let created = mock.call(.POST, "/customer", json: ["email": "clocked@example.com"])
        #expect(created.data["createdAt"] as? String == "2025-06-01T13:00:00.000Z", "the clock stamps createdAt")
        let set = mock.call(.POST, "/_sandbox/clock", key: nil, json: ["now": "2030-01-01T00:00:00.000Z"])
        #expect(set.data["now"] as? String == "2030-01-01T00:00:00.000Z")
        let running = mock.call(.POST, "/_sandbox/clock", key: nil, json: ["freeze": false])
        #expect(running.data["frozen"] as? Bool == false)
        #expect((running.data["now"] as? String ?? "").hasPrefix("2030-01-01T00:00:0"))
    }

    @Test func badClockBodiesAre400() {
        let mock = Mock()
        #expect(mock.call(.POST, "/_sandbox/clock", key: nil, json: ["now": "soon"]).message == SandboxMessages.nowMustBeDate)
        #expect(mock.call(.POST, "/_sandbox/clock", key: nil, json: ["advance": "1h"]).message == SandboxMessages.advanceMustBeSeconds)
        #expect(mock.call(.POST, "/_sandbox/clock", key: nil, json: ["freeze": "maybe"]).message == SandboxMessages.freezeMustBeBoolean)
        #expect(mock.call(.POST, "/_sandbox/clock", key: nil, json: [:]).message == SandboxMessages.clockNeedsAChange)
        #expect(mock.call(.GET, "/_sandbox/clock", key: nil).data["now"] as? String == "2025-06-01T12:00:00.000Z", "nothing changed")
    }
}

@Suite struct SandboxStateTests {
    @Test func exportHoldsEverythingAndReimportsUnchanged() {
        let mock = Mock()
        _ = mock.call(.POST, "/customer", json: ["email": "kept@example.com", "metadata": ["k": [1, 2]]])
        let exported = mock.call(.GET, "/_sandbox/state", key: nil)
        #expect(exported.status == 200)
        #expect((exported.json["integrations"] as? [Any])?.count == 2)
        #expect((exported.json["customers"] as? [Any])?.count == 6)
        #expect((exported.json["authorizations"] as? [Any])?.count == 3)
        let other = Mock(seed: Fixtures.seed(count: 0))
        let imported = other.call(.PUT, "/_sandbox/state", key: nil, rawBody: exported.text, contentType: "application/json")
        #expect(imported.status == 200, "\(imported.text)")
        #expect(imported.message == SandboxMessages.stateReplaced(integrations: 2, customers: 6))
        #expect(other.call(.GET, "/_sandbox/state", key: nil).text == exported.text, "a round trip changes nothing")
        let fetched = other.call(.GET, "/customer/kept@example.com")
        #expect(((fetched.data["metadata"] as? [String: Any])?["k"] as? [Int]) == [1, 2])
        let cards = other.call(.GET, "/customer/\(Fixtures.code(0))").data["authorizations"] as? [[String: Any]]
        #expect(cards?.count == 2)
    }

    @Test(arguments: [
        ("{", "not valid JSON"),
        (#"{"customers": []}"#, #"member "integrations" is required"#),
        (#"{"integrations": [{"id": 1, "secret_keys": {"test": "sk_test_1"}}], "customers": [{"integration": 1, "customer_code": "CUS_aaaaaaaaaaaaaaa", "email": "bad", "createdAt": "2024-01-01"}]}"#,
         #"state customers: record 0 (CUS_aaaaaaaaaaaaaaa): field "email""#),
    ])
    func badDocumentsAre400AndChangeNothing(document: String, problem: String) {
        let mock = Mock()
        let before = mock.call(.GET, "/_sandbox/state", key: nil).text
        let reply = mock.call(.PUT, "/_sandbox/state", key: nil, rawBody: document, contentType: "application/json")
        #expect(reply.status == 400)
        #expect(reply.message?.contains(problem) == true, "\(reply.message ?? "")")
        #expect(mock.call(.GET, "/_sandbox/state", key: nil).text == before)
    }
}

@Suite struct SandboxFaultTests {
    @Test func ruleForcesStatusForItsTimesThenStops() {
        let mock = Mock()
        let added = mock.call(.POST, "/_sandbox/faults", key: nil, json: [
            "method": "post", "path": "/customer", "status": 503, "message": "Down for a test", "times": 2,
        ])
        #expect(added.status == 200)
        #expect(added.data["times"] as? Int == 2)
        let before = mock.customerCount
        for _ in 0..<2 {
            let reply = mock.call(.POST, "/customer/", json: ["email": "faulty@example.com"])
            #expect(reply.status == 503)
            #expect(reply.message == "Down for a test")
        }
        #expect(mock.customerCount == before, "faulted requests never reach the store")
        #expect(mock.call(.GET, "/customer").status == 200, "another method is not matched")
        #expect(mock.call(.POST, "/customer", json: ["email": "faulty@example.com"]).status == 200, "two times, then gone")
        #expect((mock.call(.GET, "/_sandbox/faults", key: nil).json["data"] as? [Any])?.isEmpty == true)
    }

    @Test func wildcardsProbabilityZeroAndClearing() {
        let mock = Mock()
        _ = mock.call(.POST, "/_sandbox/faults", key: nil, json: ["path": "/customer/*", "status": 500, "probability": 0])
        #expect(mock.call(.GET, "/customer/\(Fixtures.code(0))").status == 200, "probability 0 never fires")
        _ = mock.call(.POST, "/_sandbox/faults", key: nil, json: ["path": "/customer/*", "status": 429])
        let limited = mock.call(.GET, "/customer/\(Fixtures.code(0))")
        #expect(limited.status == 429)
        #expect(limited.message == "Rate limit exceeded!")
        #expect(mock.call(.GET, "/customer").status == 200, "/customer/* does not match /customer")
        #expect((mock.call(.GET, "/_sandbox/faults", key: nil).json["data"] as? [Any])?.count == 2)
        #expect(mock.call(.DELETE, "/_sandbox/faults", key: nil).status == 200)
        #expect(mock.call(.GET, "/customer/\(Fixtures.code(0))").status == 200)
    }

    @Test func mockStatusHeaderDoesNotUseUpARule() {
        let mock = Mock()
        _ = mock.call(.POST, "/_sandbox/faults", key: nil, json: ["path": "/customer", "status": 503, "times": 1])
        #expect(mock.call(.GET, "/customer", extraHeaders: ["X-Mock-Status": "500"]).status == 500)
        #expect(mock.call(.GET, "/customer").status == 503, "the rule's one time is still there")
        #expect(mock.call(.GET, "/customer").status == 200)
    }

    @Test func delayRuleLetsTheRouteRun() throws {
        let mock = Mock(live: true)
        _ = mock.call(.POST, "/_sandbox/faults", key: nil, json: ["path": "/customer", "method": "GET", "delay_ms": 800])
        let slow = try RawHTTPConnection(port: mock.port)
        try slow.sendRequest("GET", "/customer", headers: ["Authorization": "Bearer \(Keys.acmeTest)"])
        let other = try httpRequest(port: mock.port, "GET", "/customer/\(Fixtures.code(0))", headers: ["Authorization": "Bearer \(Keys.acmeTest)"])
        #expect(other.status == 200)
        #expect(!slow.hasPendingData(), "the delayed answer is still waiting")
        #expect(try slow.readResponse().message == Messages.customersRetrieved)
    }

    @Test func badRulesAre400() {
        let mock = Mock()
        #expect(mock.call(.POST, "/_sandbox/faults", key: nil, json: ["path": "/customer"]).message == SandboxMessages.faultNeedsAnEffect)
        #expect(mock.call(.POST, "/_sandbox/faults", key: nil, json: ["status": 200]).message == SandboxMessages.faultStatusInvalid)
        #expect(mock.call(.POST, "/_sandbox/faults", key: nil, json: ["status": 500, "probability": 2]).message == SandboxMessages.faultProbabilityInvalid)
        #expect(mock.call(.POST, "/_sandbox/faults", key: nil, json: ["status": 500, "times": 0]).message == SandboxMessages.faultTimesInvalid)
        #expect(mock.call(.POST, "/_sandbox/faults", key: nil, json: ["status": 500, "method": "FETCH"]).message == SandboxMessages.faultMethodInvalid)
        // "ſ" uppercases to "S" under Unicode's rules; a method is ASCII.
        #expect(mock.call(.POST, "/_sandbox/faults", key: nil, json: ["status": 500, "method": "po\u{17F}t"]).message == SandboxMessages.faultMethodInvalid)
        #expect(mock.call(.GET, "/_sandbox/faults", key: nil).list.isEmpty)
    }

    @Test func globMatching() {
        #expect(globMatches("/customer/*", "/customer/CUS_x"))
        #expect(globMatches("/customer/*", "/customer/a/identification"))
        #expect(!globMatches("/customer/*", "/customer"))
        #expect(globMatches("*", "/anything"))
        #expect(globMatches("/customer/", "/customer"))
        #expect(globMatches("/customer/*/identification", "/customer/x/identification/"))
        #expect(!globMatches("/customer/*/identification", "/customer/x"))
    }
}

@Suite struct RateLimitTests {
    @Test func limitPerIntegrationWithHeaders() throws {
        let mock = Mock(sandbox: SandboxOptions(rateLimit: 3))
        for remaining in [2, 1, 0] {
            let reply = mock.call(.GET, "/customer")
            #expect(reply.status == 200)
            #expect(reply.header("x-ratelimit-limit") == "3")
            #expect(reply.header("x-ratelimit-remaining") == String(remaining))
            #expect(reply.header("x-ratelimit-reset").flatMap(Int.init).map { (59...60).contains($0) } == true)
        }
        let limited = mock.call(.POST, "/customer", json: ["email": "limited@example.com"])
        #expect(limited.status == 429)
        #expect(limited.message == "Rate limit exceeded!")
        #expect(limited.json["code"] as? String == "rate_limited")
        #expect(limited.header("x-ratelimit-remaining") == "0")
        #expect(mock.call(.GET, "/customer/limited@example.com", key: Keys.savannaTest).status == 404, "another integration has its own count")
        #expect(mock.call(.GET, "/customer", key: Keys.acmeLive).status == 429, "both domains of one integration share it")
        #expect(mock.call(.GET, "/customer", key: nil).status == 401, "requests without a valid key are not counted")
    }

    @Test func aWindowEndsAfterItsLength() {
        let limiter = RateLimiter(limit: 2, windowSeconds: 60)
        let start: UInt64 = 5_000_000_000
        #expect(limiter.take(1, now: start).allowed)
        #expect(limiter.take(1, now: start + 1_000_000_000).remaining == 0)
        let refused = limiter.take(1, now: start + 59_000_000_000)
        #expect(!refused.allowed)
        #expect(refused.resetSeconds == 1)
        #expect(limiter.take(2, now: start + 59_000_000_000).allowed, "each integration has its own window")
        let fresh = limiter.take(1, now: start + 60_000_000_000)
        #expect(fresh.allowed, "a new window after 60 s")
        #expect(fresh.remaining == 1)
        #expect(fresh.resetSeconds == 60)
    }

    @Test func noLimitAndNoHeadersByDefault() {
        let mock = Mock()
        let reply = mock.call(.GET, "/customer")
        #expect(reply.header("x-ratelimit-limit") == nil)
    }
}
