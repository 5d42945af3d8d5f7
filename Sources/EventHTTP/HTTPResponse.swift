/// A response: status, headers and body bytes. The server adds `Content-Length` and `Date`.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// Milliseconds to wait, on the event loop, before sending (never blocking other requests).
    public var delayMilliseconds: Int
    /// For an event stream: `body` goes first, then whatever the stream is sent, until it ends.
    public var stream: EventStream?

    public init(
        status: Int, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [], delayMilliseconds: Int = 0, stream: EventStream? = nil
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.delayMilliseconds = delayMilliseconds
        self.stream = stream
    }

    /// A JSON response; `Content-Type: application/json`.
    public static func json(_ status: Int, _ body: [UInt8], headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        var headers = headers
        if headers.isEmpty {
            // The usual case, without `set`'s search: room for the CORS and rate-limit fields added later.
            headers = HTTPHeaders(capacity: 4)
            headers.add("Content-Type", "application/json")
        } else {
            headers.set("Content-Type", "application/json")
        }
        return HTTPResponse(status: status, headers: headers, body: body)
    }
}

/// Standard reason phrases for the status line.
public func reasonPhrase(_ status: Int) -> String {
    switch status {
    case 200: "OK"
    case 201: "Created"
    case 202: "Accepted"
    case 204: "No Content"
    case 301: "Moved Permanently"
    case 302: "Found"
    case 303: "See Other"
    case 304: "Not Modified"
    case 400: "Bad Request"
    case 401: "Unauthorized"
    case 403: "Forbidden"
    case 404: "Not Found"
    case 405: "Method Not Allowed"
    case 409: "Conflict"
    case 413: "Payload Too Large"
    case 415: "Unsupported Media Type"
    case 422: "Unprocessable Entity"
    case 429: "Too Many Requests"
    case 500: "Internal Server Error"
    case 502: "Bad Gateway"
    case 503: "Service Unavailable"
    case 504: "Gateway Timeout"
    default: "Status \(status)"
    }
}
