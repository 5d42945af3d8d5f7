import EventHTTP
import Foundation
import HTTPTestSupport
import PaystackMock
@testable import Sandbox
import Testing

/// The admin policy is applied where the admin routes are registered: walking every one of them.
@Suite struct AdminPolicyTests {
    /// Every registered `/_sandbox/` route, with a value in each `{parameter}`.
    static func adminRoutes(of mock: Mock) -> [(method: HTTPMethod, path: String)] {
        mock.application.responder.registeredRoutes.filter { $0.pattern.hasPrefix("/_sandbox/") }.map { route in
            let path = route.pattern.split(separator: "/").map { $0.hasPrefix("{") ? "1" : String($0) }.joined(separator: "/")
            return (route.method, "/" + path)
        }
    }

    @Test func everyAdminRouteRefusesARequestWithoutTheToken() {
        let mock = Mock(sandbox: SandboxOptions(adminToken: "s3cret"))
        let routes = Self.adminRoutes(of: mock)
        #expect(routes.count >= 17, "routes walked: \(routes.map(\.path))")
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

    @Test func everyAdminRouteIsGoneWithNoAdmin() {
        let routes = Self.adminRoutes(of: Mock())
        let mock = Mock(sandbox: SandboxOptions(adminEnabled: false))
        #expect(Self.adminRoutes(of: mock).isEmpty)
        for route in routes {
            #expect(mock.call(route.method, route.path, key: nil).status == 404, "\(route.method) \(route.path) with --no-admin")
        }
    }
}
