import Dashboard
import EventHTTP
import Foundation
import HTTPTestSupport
import PaystackMock
@testable import Sandbox
import Testing

/// The admin policy is applied where the admin routes are registered: walking every one of them.
@Suite struct AdminPolicyTests {
    /// Every registered admin route (`/_sandbox/…`, `/mcp`), with a value in each `{parameter}`;
    /// with `includingPage`, the dashboard's page too (served without the token: it asks for it).
    static func adminRoutes(of mock: Mock, includingPage: Bool = false) -> [(method: HTTPMethod, path: String)] {
        mock.application.responder.registeredRoutes.filter { route in
            (route.pattern.hasPrefix("/_sandbox/") || route.pattern == "/mcp") && (includingPage || !Dashboard.pagePatterns.contains(route.pattern))
        }.map { route in
            let path = route.pattern.split(separator: "/").map { $0.hasPrefix("{") ? "1" : String($0) }.joined(separator: "/")
            return (route.method, "/" + path)
        }
    }

    @Test func everyAdminRouteRefusesARequestWithoutTheToken() {
        let mock = Mock(sandbox: SandboxOptions(adminToken: "s3cret"))
        let routes = Self.adminRoutes(of: mock)
        #expect(routes.count >= 25, "routes walked: \(routes.map(\.path))")
        for route in routes {
            let refused = mock.call(route.method, route.path, key: nil)
            #expect(refused.status == 401, "\(route.method) \(route.path) without the token")
            #expect(refused.message == SandboxMessages.adminTokenRequired)
            let wrong = mock.call(route.method, route.path, key: "wrong")
            #expect(wrong.status == 401, "\(route.method) \(route.path) with a wrong token")
            let admitted = mock.call(route.method, route.path, key: "s3cret")
            #expect(admitted.status != 401, "\(route.method) \(route.path) with the token: \(admitted.text)")
        }
    }

    @Test func theDashboardPageHoldsNoDataAndIsTheOnlyRouteWithoutTheToken() {
        let mock = Mock(sandbox: SandboxOptions(adminToken: "s3cret"))
        let open = Self.adminRoutes(of: mock, includingPage: true).filter { route in
            !Self.adminRoutes(of: mock).contains { $0.method == route.method && $0.path == route.path }
        }
        func trimmed(_ path: String) -> String { path.hasSuffix("/") ? String(path.dropLast()) : path }
        #expect(Set(open.map { trimmed($0.path) }) == Set(Dashboard.pagePatterns.map(trimmed)))
        let secrets = [Keys.acmeTest, Keys.acmeLive, Keys.savannaTest, Fixtures.code(0), "customer0@example.com"]
        for route in open {
            let page = mock.call(route.method, route.path, key: nil)
            #expect(page.status == 200 || page.status == 301)
            #expect(!secrets.contains { page.text.contains($0) }, "\(route.path) carries no keys or customers")
        }
    }

    @Test func everyAdminRouteIsGoneWithNoAdmin() {
        let routes = Self.adminRoutes(of: Mock(), includingPage: true)
        let mock = Mock(sandbox: SandboxOptions(adminEnabled: false))
        #expect(Self.adminRoutes(of: mock).isEmpty)
        for route in routes {
            #expect(mock.call(route.method, route.path, key: nil).status == 404, "\(route.method) \(route.path) with --no-admin")
        }
    }
}

/// No web page can steer the mock: origin and host checks on every admin route.
@Suite struct OriginAndHostTests {
    @Test func aForeignOriginGetsNoCORSGrantAndNoAnswer() {
        let mock = Mock()
        for route in AdminPolicyTests.adminRoutes(of: mock) {
            let preflight = mock.call(.OPTIONS, route.path, key: nil, extraHeaders: [
                "Origin": "http://evil.example", "Access-Control-Request-Method": route.method.rawValue, "Host": "127.0.0.1:8787",
            ])
            #expect(preflight.status == 403, "preflight of \(route.method) \(route.path) from a foreign origin")
            #expect(preflight.header("Access-Control-Allow-Origin") == nil)
            let request = mock.call(route.method, route.path, key: nil, extraHeaders: ["Origin": "http://evil.example", "Host": "127.0.0.1:8787"])
            #expect(request.status == 403, "\(route.method) \(route.path) from a foreign origin")
            #expect(request.message == SandboxMessages.originNotAllowed("http://evil.example"))
            #expect(request.header("Access-Control-Allow-Origin") == nil)
            #expect(Set(request.json.keys) == ["status", "message"], "the short envelope")
        }
        #expect(mock.call(.GET, "/_sandbox/state", key: nil, extraHeaders: ["Origin": "null"]).status == 403, "an opaque origin is foreign")
    }

    @Test func loopbackAndSameOriginPagesAreAdmitted() {
        let mock = Mock()
        for origin in ["http://localhost:3000", "http://127.0.0.1:5173", "http://[::1]:8080", "https://app.localhost"] {
            let reply = mock.call(.GET, "/_sandbox/health", key: nil, extraHeaders: ["Origin": origin, "Host": "127.0.0.1:8787"])
            #expect(reply.status == 200, "a page of \(origin)")
            #expect(reply.header("Access-Control-Allow-Origin") == origin)
            let preflight = mock.call(.OPTIONS, "/_sandbox/reset", key: nil, extraHeaders: [
                "Origin": origin, "Access-Control-Request-Method": "POST", "Host": "localhost:8787",
            ])
            #expect(preflight.status == 204)
            #expect(preflight.header("Access-Control-Allow-Origin") == origin)
        }
        let own = SandboxOptions(allowedHosts: ["mock.internal"])
        let sameOrigin = Mock(sandbox: own).call(.POST, "/_sandbox/reset", key: nil, extraHeaders: [
            "Origin": "http://mock.internal:8787", "Host": "mock.internal:8787",
        ])
        #expect(sameOrigin.status == 200, "the dashboard's own requests: \(sameOrigin.text)")
    }

    @Test func aForeignHostIsRefusedOnAdminRoutesOnly() {
        let mock = Mock()
        for route in AdminPolicyTests.adminRoutes(of: mock) {
            let reply = mock.call(route.method, route.path, key: nil, extraHeaders: ["Host": "evil.example"])
            #expect(reply.status == 403, "\(route.method) \(route.path) with Host: evil.example (DNS rebinding)")
            #expect(reply.message == SandboxMessages.hostNotAllowed("evil.example"))
        }
        let paystack = mock.call(.GET, "/customer", extraHeaders: ["Host": "evil.example"])
        #expect(paystack.status == 200, "Paystack routes accept any Host (the drop-in needs api.paystack.co)")
        #expect(paystack.header("Access-Control-Allow-Origin") == "*", "--cors-origin still applies to Paystack routes")
    }

    @Test func allowedHostAdmitsAName() {
        let mock = Mock(sandbox: SandboxOptions(allowedHosts: ["paystack-mock"]))
        #expect(mock.call(.GET, "/_sandbox/health", key: nil, extraHeaders: ["Host": "paystack-mock:8787"]).status == 200)
        #expect(mock.call(.GET, "/_sandbox/health", key: nil, extraHeaders: ["Host": "PAYSTACK-MOCK"]).status == 200)
        #expect(mock.call(.GET, "/_sandbox/health", key: nil, extraHeaders: ["Host": "other-name"]).status == 403)
    }
}
