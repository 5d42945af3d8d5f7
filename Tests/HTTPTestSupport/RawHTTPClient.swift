import CTLS
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A response as the tests see it: read off the wire, or answered in process.
public struct Reply: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// The status line as received (empty for an answer made in process).
    public var statusLine = ""

    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The body parsed by Foundation (an independent parser), as a dictionary.
    public var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])) as? [String: Any] ?? [:]
    }

    public var message: String? { json["message"] as? String }
    public var data: [String: Any] { json["data"] as? [String: Any] ?? [:] }
    public var list: [[String: Any]] { json["data"] as? [[String: Any]] ?? [] }
    public var meta: [String: Any] { json["meta"] as? [String: Any] ?? [:] }
}

public struct ClientError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A blocking HTTP/1.1 client over one TCP connection, so tests control keep-alive, pipelining and
/// stalls byte by byte. Every read has a timeout, so a hung server fails a test instead of hanging it.
public final class RawHTTPConnection {
    public let descriptor: Int32
    private var buffer: [UInt8] = []
    /// Set by `startTLS`: bytes then go through OpenSSL.
    private var tls: UnsafeMutableRawPointer?

    public init(port: Int, host: String = "127.0.0.1", timeoutSeconds: Int = 10) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw ClientError("socket failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        inet_pton(AF_INET, host, &address.sin_addr)
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        // No close here: a class's deinit runs when its initializer throws after every stored
        // property is set, so closing here too would close a descriptor twice (and the second
        // close could hit another thread's newly opened socket).
        guard status == 0 else {
            throw ClientError("connect to \(host):\(port) failed: \(String(cString: strerror(errno)))")
        }
    }

    deinit {
        if let tls { ctls_blocking_free(tls) }
        Glibc.close(descriptor)
    }

    /// Speaks TLS from here on, verifying the server against `caPath` and `serverName`.
    public func startTLS(caPath: String, serverName: String) throws {
        var error = [CChar](repeating: 0, count: 256)
        guard let client = ctls_blocking_client_new(descriptor, caPath, serverName, &error, error.count) else {
            throw ClientError("TLS handshake with \(serverName) failed: \(String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))")
        }
        tls = client
    }

    public func send(_ text: String) throws { try send(Array(text.utf8)) }

    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { raw in
                tls.map { ctls_blocking_write($0, raw.baseAddress, raw.count) } ?? Glibc.send(descriptor, raw.baseAddress, raw.count, Int32(MSG_NOSIGNAL))
            }
            guard written > 0 else { throw ClientError("send failed: \(String(cString: strerror(errno)))") }
            offset += written
        }
    }

    /// Sends one request. `Content-Length` is added for a body; `Host` always.
    public func sendRequest(_ method: String, _ target: String, headers: [String: String] = [:], body: [UInt8] = []) throws {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || ["POST", "PUT", "PATCH"].contains(method) { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        try send(Array(head.utf8) + body)
    }

    public func request(_ method: String, _ target: String, headers: [String: String] = [:], body: [UInt8] = []) throws -> Reply {
        try sendRequest(method, target, headers: headers, body: body)
        return try readResponse(forHead: method == "HEAD")
    }

    /// Reads one response; for HEAD there is no body whatever Content-Length says.
    public func readResponse(forHead: Bool = false) throws -> Reply {
        let headEnd = try readUntilHeadEnd()
        let head = String(decoding: buffer[0..<headEnd], as: UTF8.self)
        buffer.removeFirst(headEnd + 4)
        var lines = head.components(separatedBy: "\r\n")
        let firstLine = lines.removeFirst()
        let statusLine = firstLine.split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw ClientError("bad status line: \(head)") }
        var headers: [(String, String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        var response = Reply(status: status, headers: headers, body: [])
        response.statusLine = firstLine
        if forHead || status == 204 || status == 304 { return response }
        if let length = response.header("Content-Length").flatMap(Int.init) {
            try fill(length)
            response.body = Array(buffer[0..<length])
            buffer.removeFirst(length)
        } else if response.header("Transfer-Encoding")?.lowercased() == "chunked" {
            throw ClientError("chunked responses are not expected from this server")
        } else {
            // Body until close.
            while try receiveMore() {}
            response.body = buffer
            buffer.removeAll()
        }
        return response
    }

    /// Whether response bytes are already waiting, without blocking.
    public func hasPendingData() -> Bool {
        if !buffer.isEmpty { return true }
        var byte: UInt8 = 0
        return recv(descriptor, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT)) > 0
    }

    /// Reads until `marker` has arrived (for an answer this client does not parse, as a stream);
    /// returns what came up to and including it. Throws on close or timeout.
    public func receive(until marker: String) throws -> String {
        let wanted = Array(marker.utf8)
        while true {
            if let range = buffer.firstRange(of: wanted) {
                let text = String(decoding: buffer[..<range.upperBound], as: UTF8.self)
                buffer.removeSubrange(..<range.upperBound)
                return text
            }
            guard try receiveMore() else { throw ClientError("connection closed before \(marker.debugDescription)") }
        }
    }

    /// True when the peer closed the connection (reads end) before the timeout.
    public func waitForClose() -> Bool {
        while true {
            do {
                if try !receiveMore() { return true }
            } catch {
                return false
            }
        }
    }

    private func readUntilHeadEnd() throws -> Int {
        while true {
            if let end = findHeadEnd() { return end }
            guard try receiveMore() else { throw ClientError("connection closed before a complete response head") }
        }
    }

    private func findHeadEnd() -> Int? {
        guard buffer.count >= 4 else { return nil }
        for index in 0...(buffer.count - 4) where buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
            return index
        }
        return nil
    }

    private func fill(_ count: Int) throws {
        while buffer.count < count {
            guard try receiveMore() else { throw ClientError("connection closed inside a body") }
        }
    }

    /// False on orderly close; throws on timeout or error.
    private func receiveMore() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = tls.map { ctls_blocking_read($0, &chunk, chunk.count) } ?? recv(descriptor, &chunk, chunk.count, 0)
        if count == 0 { return false }
        guard count > 0 else { throw ClientError("recv failed: \(String(cString: strerror(errno)))") }
        buffer.append(contentsOf: chunk[0..<count])
        return true
    }
}

/// One request on a fresh connection.
public func httpRequest(
    port: Int, _ method: String, _ target: String, headers: [String: String] = [:], body: [UInt8] = []
) throws -> Reply {
    let connection = try RawHTTPConnection(port: port)
    return try connection.request(method, target, headers: headers, body: body)
}

/// One request over HTTPS on a fresh connection, the server verified against `caPath` as `serverName`.
public func httpsRequest(
    port: Int, caPath: String, serverName: String = "localhost", _ method: String, _ target: String,
    headers: [String: String] = [:], body: [UInt8] = []
) throws -> Reply {
    let connection = try RawHTTPConnection(port: port)
    try connection.startTLS(caPath: caPath, serverName: serverName)
    return try connection.request(method, target, headers: headers, body: body)
}

public func jsonBody(_ object: [String: Any]) -> [UInt8] {
    Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
}
