/// Why a request got no route's answer. The server and the router only say what went wrong; the
/// application renders it (`HTTPResponder.respond(to: HTTPFailure)`), so every answer, libevent's
/// own errors included, has the application's shape.
public enum HTTPFailure: Error, Sendable, Equatable {
    /// The request line or headers could not be parsed (libevent's 400).
    case unparseableRequest
    /// The path has a malformed percent-escape or is not UTF-8.
    case malformedPath
    /// The body is over `HTTPServerConfiguration.maxBodySize` (libevent's 413).
    case bodyTooLarge(limit: Int)
    /// A method libevent does not implement, on a path no route has (libevent's 501).
    case methodNotImplemented
    /// No route has the path.
    case routeNotFound
    /// The path has routes, none for this method; the server adds `Allow` with `allowed`.
    case methodNotAllowed(allowed: [HTTPMethod])
    /// Any other status libevent answers by itself.
    case other(status: Int)

    public var status: Int {
        switch self {
        case .unparseableRequest, .malformedPath: 400
        case .bodyTooLarge: 413
        case .methodNotImplemented: 501
        case .routeNotFound: 404
        case .methodNotAllowed: 405
        case .other(let status): status
        }
    }

    /// `Allow` for a 405: the methods joined with commas.
    static func allowHeader(_ methods: [HTTPMethod]) -> String {
        methods.map(\.rawValue).joined(separator: ", ")
    }
}
