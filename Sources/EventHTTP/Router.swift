import Glibc

/// Values captured by `{name}` segments of a route pattern. The first is held inline: every route
/// here has at most one, and an array cost an allocation per request.
public struct PathParameters: Sendable {
    private var first: (name: String, value: String)?
    private var rest: [(name: String, value: String)] = []

    public init() {}

    public var values: [(name: String, value: String)] { (first.map { [$0] } ?? []) + rest }

    public subscript(name: String) -> String? {
        if let first, first.name == name { return first.value }
        return rest.first { $0.name == name }?.value
    }

    mutating func append(_ name: String, _ value: String) {
        if first == nil { first = (name, value) } else { rest.append((name, value)) }
    }

    mutating func removeLast() {
        if rest.isEmpty { first = nil } else { rest.removeLast() }
    }
}

/// The outcome of looking a request up in a `Router`.
public enum RouteMatch<Handler: Sendable>: Sendable {
    case found(Handler, PathParameters)
    /// The path exists, but not with this method; `allowed` lists those it has.
    case methodNotAllowed(allowed: [HTTPMethod])
    case notFound
}

/// A route table of patterns such as `/customer/{code}`.
///
/// A trailing slash is the same route (`/customer/` = `/customer`), as Paystack and its SDKs expect.
/// Literal segments win over captures, so `/customer/set_risk_action` never reaches `/customer/{code}`
/// (another method there is a 405, not a fetch). `HEAD` is served by the `GET` handler.
/// Paths are matched segment by segment before percent-decoding, so an encoded `/` (`%2F`) stays
/// inside its segment.
public struct Router<Handler: Sendable>: Sendable {
    private struct Node: Sendable {
        /// Literal segments (their UTF-8 bytes) and their nodes: a handful per node, so a scan
        /// (length first, then the bytes) beats hashing a String.
        var literals: [(segment: [UInt8], node: Int)] = []
        var capture: (name: String, node: Int)?
        /// By `HTTPMethod.index`: an array read where a dictionary hashed the method (~300
        /// instructions a request).
        var handlers: [Handler?] = Array(repeating: nil, count: HTTPMethod.allCases.count)
        var hasHandlers = false
    }

    private var nodes: [Node] = [Node()]
    /// Every route added, in order: for documentation and for tests that walk them all.
    public private(set) var routes: [(method: HTTPMethod, pattern: String)] = []

    public init() {}

    /// Adds `handler` for `method` on `pattern`; a second handler for the same route replaces the first.
    public mutating func add(_ method: HTTPMethod, _ pattern: String, _ handler: Handler) {
        var current = 0
        for segment in pattern.split(separator: "/").map(String.init) {
            if segment.hasPrefix("{") && segment.hasSuffix("}") {
                let name = String(segment.dropFirst().dropLast())
                if let capture = nodes[current].capture {
                    precondition(capture.name == name, "route \(pattern): capture {\(name)} conflicts with {\(capture.name)}")
                    current = capture.node
                } else {
                    nodes.append(Node())
                    nodes[current].capture = (name, nodes.count - 1)
                    current = nodes.count - 1
                }
            } else if let next = nodes[current].literals.first(where: { $0.segment.elementsEqual(segment.utf8) })?.node {
                current = next
            } else {
                nodes.append(Node())
                nodes[current].literals.append((Array(segment.utf8), nodes.count - 1))
                current = nodes.count - 1
            }
        }
        if nodes[current].handlers[method.index] == nil { routes.append((method, pattern)) }
        nodes[current].handlers[method.index] = handler
        nodes[current].hasHandlers = true
    }

    /// Finds the handler for `method` on `path` (as received: percent-encoded, without query).
    public func match(_ method: HTTPMethod, _ path: String) -> RouteMatch<Handler> {
        var path = path
        var parameters = PathParameters()
        // Walked over the path's bytes: splitting the String made an array of Substrings and
        // stepped through Characters, a visible share of a fetch.
        let found = path.withUTF8 { find(node: 0, path: $0, from: 0, parameters: &parameters) }
        guard let node = found else { return .notFound }
        let lookup: HTTPMethod = method == .HEAD ? .GET : method
        if let handler = nodes[node].handlers[lookup.index] {
            return .found(handler, parameters)
        }
        var allowed = Set(HTTPMethod.allCases.filter { nodes[node].handlers[$0.index] != nil })
        if allowed.contains(.GET) { allowed.insert(.HEAD) }
        allowed.insert(.OPTIONS)
        return .methodNotAllowed(allowed: HTTPMethod.allCases.filter(allowed.contains))
    }

    /// The route node matching the segments of `path` from `start` on: the literal branch first,
    /// the capture only where no literal route matches the whole path. Empty segments are skipped.
    private func find(node: Int, path: UnsafeBufferPointer<UInt8>, from start: Int, parameters: inout PathParameters) -> Int? {
        let slash = UInt8(ascii: "/")
        var first = start
        while first < path.count, path[first] == slash { first += 1 }
        guard first < path.count else {
            return nodes[node].hasHandlers ? node : nil
        }
        var end = first
        while end < path.count, path[end] != slash { end += 1 }
        let raw = UnsafeBufferPointer(rebasing: path[first..<end])
        // Decoded after splitting, so an encoded `/` (`%2F`) stays inside its segment.
        let decoded: String? = raw.contains(UInt8(ascii: "%")) ? percentDecode(String(decoding: raw, as: UTF8.self)) : nil
        func isSegment(_ literal: [UInt8]) -> Bool {
            if let decoded { return literal.elementsEqual(decoded.utf8) }
            return literal.count == raw.count && literal.withUnsafeBufferPointer { memcmp($0.baseAddress!, raw.baseAddress!, raw.count) == 0 }
        }
        if let literal = nodes[node].literals.first(where: { isSegment($0.segment) })?.node,
           let found = find(node: literal, path: path, from: end, parameters: &parameters) {
            return found
        }
        if let capture = nodes[node].capture {
            parameters.append(capture.name, decoded ?? String(decoding: raw, as: UTF8.self))
            if let found = find(node: capture.node, path: path, from: end, parameters: &parameters) { return found }
            parameters.removeLast()
        }
        return nil
    }
}
