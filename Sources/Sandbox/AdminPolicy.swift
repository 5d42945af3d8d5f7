import EventHTTP
import PaystackAPI
import Platform

/// Who may use the admin surfaces (`/_sandbox/`): applied once, where their routes are registered
/// (`AdminRoutes`), so a handler cannot forget it.
public struct AdminPolicy: Sendable {
    /// When set, requests need `Authorization: Bearer <token>`.
    public var token: String?

    public init(token: String?) {
        self.token = token
    }

    /// Throws the 401 a request without the token gets.
    public func authorize(_ request: HTTPRequest) throws(PaystackError) {
        guard let token else { return }
        guard let header = request.headers["Authorization"], let given = bearerToken(header), constantTimeEquals(token, given)
        else { throw PaystackError.unauthorized(SandboxMessages.adminTokenRequired) }
    }
}

/// Adds admin routes to a router with the policy in front of every handler.
public struct AdminRoutes {
    public private(set) var router: Router<RouteHandler>
    let policy: AdminPolicy

    public init(router: Router<RouteHandler>, policy: AdminPolicy) {
        self.router = router
        self.policy = policy
    }

    /// `handler` runs only for requests the policy admits; it throws `PaystackError`s.
    public mutating func add(
        _ method: HTTPMethod, _ pattern: String, _ handler: @escaping @Sendable (HTTPRequest, PathParameters) throws -> HTTPResponse
    ) {
        let policy = self.policy
        router.add(method, pattern) { request, parameters in
            answer {
                try policy.authorize(request)
                return try handler(request, parameters)
            }
        }
    }
}
