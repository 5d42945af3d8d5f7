/// A request as the server hands it to a responder: everything is already read and decoded.
public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    /// Percent-decoded path, without the query.
    public var path: String
    /// The path as received (percent-encoded); routing splits it before decoding.
    public var rawPath: String
    /// Decoded query parameters in order; repeated keys are kept.
    public var query: QueryParameters
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// What an outer responder already worked out about this request (e.g. who sent it), so that
    /// inner ones need not do it again. Never set by the server. An object, so that reading it back
    /// is a pointer comparison (a cast from `any Sendable` took ~1,100 instructions a request).
    public var context: (any AnyObject & Sendable)?

    public init(
        method: HTTPMethod, path: String, rawPath: String? = nil, query: QueryParameters = QueryParameters(),
        headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []
    ) {
        self.method = method
        self.path = path
        self.rawPath = rawPath ?? path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// Builds a request from a request target such as `/customer?perPage=2`.
    public init(method: HTTPMethod, target: String, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        let (path, query) = splitTarget(target)
        self.init(
            method: method, path: percentDecode(path) ?? path, rawPath: path, query: QueryParameters(parsing: query ?? ""),
            headers: headers, body: body)
    }
}

/// Splits a request target into its path and its query (without `?`).
func splitTarget(_ target: String) -> (path: String, query: String?) {
    guard let mark = target.utf8.firstIndex(of: UInt8(ascii: "?")) else { return (target, nil) }
    let path = String(target[..<mark])
    let query = String(target[target.utf8.index(after: mark)...])
    return (path, query)
}
