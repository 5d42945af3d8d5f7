/// Answers requests. Called on an event-loop thread, possibly on several at once: it must not block.
public protocol HTTPResponder: Sendable {
    func respond(to request: HTTPRequest) -> HTTPResponse

    /// The methods a path answers (for `Allow`), nil when no route has it. Used for methods the
    /// server cannot parse, which never reach `respond`.
    func allowedMethods(forPath rawPath: String) -> [HTTPMethod]?
}

extension HTTPResponder {
    public func allowedMethods(forPath rawPath: String) -> [HTTPMethod]? { nil }
}

/// Handler of one route: the request and the values of its `{name}` segments.
public typealias RouteHandler = @Sendable (HTTPRequest, PathParameters) -> HTTPResponse

/// Serves a `Router`, with JSON answers for what no route handles:
/// unknown path → 404, known path with another method → 405 with `Allow`, `OPTIONS` → 204 with `Allow`.
public struct RoutingResponder: HTTPResponder {
    public static let routeNotFoundMessage = "Route not found"
    public static let methodNotAllowedMessage = "Method not allowed"

    public var router: Router<RouteHandler>

    public init(router: Router<RouteHandler>) {
        self.router = router
    }

    public func allowedMethods(forPath rawPath: String) -> [HTTPMethod]? {
        // TRACE is never routed, so matching it yields the path's methods.
        switch router.match(.TRACE, rawPath) {
        case .found: return [.TRACE]
        case .methodNotAllowed(let allowed): return allowed
        case .notFound: return nil
        }
    }

    public func respond(to request: HTTPRequest) -> HTTPResponse {
        switch router.match(request.method, request.rawPath) {
        case .found(let handler, let parameters):
            return handler(request, parameters)
        case .methodNotAllowed(let allowed):
            var headers = HTTPHeaders()
            headers.set("Allow", allowed.map(\.rawValue).joined(separator: ", "))
            if request.method == .OPTIONS {
                headers.set("Content-Type", "application/json")
                return HTTPResponse(status: 204, headers: headers)
            }
            return .jsonError(405, Self.methodNotAllowedMessage, headers: headers)
        case .notFound:
            return .jsonError(404, Self.routeNotFoundMessage)
        }
    }
}
