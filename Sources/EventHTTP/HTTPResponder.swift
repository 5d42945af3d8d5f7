/// Answers requests. Called on an event-loop thread, possibly on several at once: it must not block.
public protocol HTTPResponder: Sendable {
    /// `consuming`: the server hands the request over, so a responder that adds to it (`context`)
    /// changes it in place instead of copying its every field first.
    func respond(to request: consuming HTTPRequest) -> HTTPResponse

    /// The answer to a request that never reached `respond` (unparseable, too large, an unknown
    /// method), or that no route took. The status is `failure.status`.
    func respond(to failure: HTTPFailure) -> HTTPResponse

    /// The methods a path answers (for `Allow`), nil when no route has it. Used for methods the
    /// server cannot parse, which never reach `respond`.
    func allowedMethods(forPath rawPath: String) -> [HTTPMethod]?
}

extension HTTPResponder {
    public func allowedMethods(forPath rawPath: String) -> [HTTPMethod]? { nil }

    /// A plain-text answer: the status line's reason phrase.
    public func respond(to failure: HTTPFailure) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.set("Content-Type", "text/plain; charset=utf-8")
        return HTTPResponse(status: failure.status, headers: headers, body: Array(reasonPhrase(failure.status).utf8))
    }
}

/// Handler of one route: the request and the values of its `{name}` segments.
public typealias RouteHandler = @Sendable (HTTPRequest, PathParameters) -> HTTPResponse

/// Renders a failure in the application's error shape.
public typealias HTTPFailureRenderer = @Sendable (HTTPFailure) -> HTTPResponse

/// Serves a `Router`; what no route handles is rendered by `renderFailure`: an unknown path is
/// `routeNotFound`, a known path with another method `methodNotAllowed` (with `Allow`), and
/// `OPTIONS` on a known path answers 204 with `Allow`.
public struct RoutingResponder: HTTPResponder {
    public var router: Router<RouteHandler>
    public let renderFailure: HTTPFailureRenderer

    public init(router: Router<RouteHandler>, renderFailure: @escaping HTTPFailureRenderer) {
        self.router = router
        self.renderFailure = renderFailure
    }

    public func allowedMethods(forPath rawPath: String) -> [HTTPMethod]? {
        // TRACE is never routed, so matching it yields the path's methods.
        switch router.match(.TRACE, rawPath) {
        case .found: return [.TRACE]
        case .methodNotAllowed(let allowed): return allowed
        case .notFound: return nil
        }
    }

    public func respond(to failure: HTTPFailure) -> HTTPResponse {
        var response = renderFailure(failure)
        response.status = failure.status
        if case .methodNotAllowed(let allowed) = failure {
            response.headers.set("Allow", HTTPFailure.allowHeader(allowed))
        }
        return response
    }

    public func respond(to request: HTTPRequest) -> HTTPResponse {
        switch router.match(request.method, request.rawPath) {
        case .found(let handler, let parameters):
            return handler(request, parameters)
        case .methodNotAllowed(let allowed):
            if request.method == .OPTIONS {
                var headers = HTTPHeaders()
                headers.set("Allow", HTTPFailure.allowHeader(allowed))
                headers.set("Content-Type", "application/json")
                return HTTPResponse(status: 204, headers: headers)
            }
            return respond(to: .methodNotAllowed(allowed: allowed))
        case .notFound:
            return respond(to: .routeNotFound)
        }
    }
}
