/// The request methods evhttp can parse.
public enum HTTPMethod: String, Sendable, CaseIterable, Hashable {
    case GET, POST, HEAD, PUT, DELETE, OPTIONS, TRACE, CONNECT, PATCH
}
