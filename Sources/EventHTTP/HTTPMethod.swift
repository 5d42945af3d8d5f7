/// The request methods evhttp can parse.
public enum HTTPMethod: String, Sendable, CaseIterable, Hashable {
    case GET, POST, HEAD, PUT, DELETE, OPTIONS, TRACE, CONNECT, PATCH

    /// The position in `allCases`.
    var index: Int {
        switch self {
        case .GET: 0
        case .POST: 1
        case .HEAD: 2
        case .PUT: 3
        case .DELETE: 4
        case .OPTIONS: 5
        case .TRACE: 6
        case .CONNECT: 7
        case .PATCH: 8
        }
    }
}
