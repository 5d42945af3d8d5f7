import EventHTTP
import PaystackAPI
import Platform

/// Who may use the admin surfaces (`/_sandbox/`, and every later one): applied once, in the request
/// pipeline (hosts and origins) and where their routes are registered (`AdminRoutes`, the token), so
/// a handler cannot forget it.
///
/// The mock runs on developers' machines while they browse: a web page must not read or steer it.
/// So an admin request whose `Host` is not one of the mock's names is refused (DNS rebinding), and so
/// is one whose `Origin` is a foreign site's; loopback pages and the dashboard itself are admitted.
public struct AdminPolicy: Sendable {
    /// When set, requests need `Authorization: Bearer <token>`.
    public var token: String?
    /// Host names (lower case, without port) admitted besides the loopback ones.
    public var allowedHosts: Set<String>

    public init(token: String? = nil, allowedHosts: [String] = []) {
        self.token = token
        self.allowedHosts = Set(allowedHosts.map { Self.hostName($0) })
    }

    /// Throws the 401 a request without the token gets.
    public func authorize(_ request: HTTPRequest) throws(PaystackError) {
        guard let token else { return }
        guard let header = request.headers["Authorization"], let given = bearerToken(header), constantTimeEquals(token, given)
        else { throw PaystackError.unauthorized(SandboxMessages.adminTokenRequired) }
    }

    /// What to do with an admin request, before any route runs.
    public enum Verdict: Sendable, Equatable {
        /// Serve it; with an origin to grant CORS to (a loopback page, or the page's own origin).
        case admit(corsOrigin: String?)
        /// 403 with this message.
        case refuse(String)
    }

    public func check(_ request: HTTPRequest) -> Verdict {
        let host = request.headers["Host"]
        if let host, !isAllowed(host: host) { return .refuse(SandboxMessages.hostNotAllowed(Self.hostName(host))) }
        guard let origin = request.headers["Origin"] else { return .admit(corsOrigin: nil) }
        // Same origin (the dashboard), or a page served from this machine.
        if let originHost = Self.originHost(origin), Self.isLoopback(originHost) || (host.map(Self.hostName) == originHost && isAllowed(host: originHost)) {
            return .admit(corsOrigin: origin)
        }
        return .refuse(SandboxMessages.originNotAllowed(origin))
    }

    func isAllowed(host: String) -> Bool {
        let name = Self.hostName(host)
        return Self.isLoopback(name) || allowedHosts.contains(name)
    }

    /// `Host`'s name without the port, lower case (`[::1]:8787` → `::1`).
    static func hostName(_ host: String) -> String {
        let trimmed = host.trimmingSpaces.asciiLowercased
        if trimmed.hasPrefix("[") {
            return String(trimmed.dropFirst().prefix { $0 != "]" })
        }
        if trimmed.filter({ $0 == ":" }).count == 1, let colon = trimmed.firstIndex(of: ":") {
            return String(trimmed[..<colon])
        }
        return trimmed
    }

    /// The host of an origin such as `http://127.0.0.1:3000`; nil for `null` and the like.
    static func originHost(_ origin: String) -> String? {
        let lower = origin.trimmingSpaces.asciiLowercased
        for scheme in ["http://", "https://"] where lower.hasPrefix(scheme) {
            let authority = lower.dropFirst(scheme.count).prefix { $0 != "/" }
            return authority.isEmpty ? nil : hostName(String(authority))
        }
        return nil
    }

    /// `localhost`, `*.localhost`, 127.0.0.0/8 and `::1`.
    static func isLoopback(_ name: String) -> Bool {
        if name == "localhost" || name.hasSuffix(".localhost") || name == "::1" { return true }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { String($0).isASCIIDigits && Int($0).map { $0 <= 255 } == true }
    }
}

/// Adds admin routes to a router with the policy's token check in front of every handler.
public struct AdminRoutes {
    public private(set) var router: Router<RouteHandler>
    let policy: AdminPolicy

    public init(router: Router<RouteHandler>, policy: AdminPolicy) {
        self.router = router
        self.policy = policy
    }

    /// A route the token does not guard (the dashboard's page, which asks for the token itself);
    /// the pipeline's host and origin checks still apply under `/_sandbox/`.
    public mutating func addWithoutToken(_ method: HTTPMethod, _ pattern: String, _ handler: @escaping RouteHandler) {
        router.add(method, pattern, handler)
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
