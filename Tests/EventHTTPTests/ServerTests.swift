import Foundation
import HTTPTestSupport
import Logging
import Platform
import Testing
@testable import EventHTTP

/// A responder for server tests: echoes what it parsed, and serves a large body and a delayed one.
struct EchoResponder: HTTPResponder {
    let routing: RoutingResponder

    init() {
        var router = Router<RouteHandler>()
        router.add(.GET, "/echo/{name}") { request, parameters in
            var body = "{\"name\":\"\(parameters["name"]!)\",\"path\":\"\(request.path)\",\"method\":\"\(request.method.rawValue)\""
            body += ",\"query\":\"\(request.query.pairs.map { "\($0.key)=\($0.value)" }.joined(separator: "&"))\""
            body += ",\"agent\":\"\(request.headers["user-agent"] ?? "")\"}"
            return .json(200, Array(body.utf8))
        }
        router.add(.POST, "/echo") { request, _ in .json(200, request.body) }
        router.add(.POST, "/accepted") { _, _ in HTTPResponse(status: 202, body: []) }
        router.add(.GET, "/large") { _, _ in .json(200, Array(repeating: UInt8(ascii: "a"), count: 40_000)) }
        // A large body that differs per request, to tell each answer's bytes from another's.
        router.add(.GET, "/pattern/{n}") { _, parameters in .json(200, patternedBody(Int(parameters["n"]!)!)) }
        // More than loopback's socket buffers hold (a few MB each way): most stays in the server.
        router.add(.GET, "/huge") { _, _ in .json(200, Array(repeating: UInt8(ascii: "a"), count: Self.hugeBodySize)) }
        // An event stream that sends one event after 2.5 s, then ends (the connection stays open).
        router.add(.GET, "/stream") { _, _ in
            let stream = EventStream()
            DispatchQueue.global().asyncAfter(deadline: .now() + 2.5) {
                stream.send(EventStream.frame(event: "late", data: Array("after the timeout".utf8)))
                stream.finish()
            }
            var headers = HTTPHeaders()
            headers.set("Content-Type", "text/event-stream")
            return HTTPResponse(status: 200, headers: headers, body: Array(": open\n\n".utf8), stream: stream)
        }
        router.add(.GET, "/slow") { _, _ in
            var response = HTTPResponse.json(200, Array("{\"slow\":true}".utf8))
            response.delayMilliseconds = 1500
            return response
        }
        routing = RoutingResponder(router: router, renderFailure: Self.render)
    }

    static let hugeBodySize = 24 << 20

    /// The failure's case name as the message, so tests see which failure the server reported.
    static let render: HTTPFailureRenderer = { failure in
        let name = "\(failure)".prefix { $0 != "(" }
        return .json(failure.status, Array("{\"status\":false,\"message\":\"\(name)\"}".utf8))
    }

    func respond(to request: HTTPRequest) -> HTTPResponse { routing.respond(to: request) }
    func respond(to failure: HTTPFailure) -> HTTPResponse { routing.respond(to: failure) }
    func allowedMethods(forPath rawPath: String) -> [HTTPMethod]? { routing.allowedMethods(forPath: rawPath) }
}

/// Starts a server on an ephemeral loopback port for the duration of `body`.
func withServer<Result>(
    workers: Int = 2, maxBodySize: Int = 1024, timeoutSeconds: Int = 30, reusePort: Bool = false,
    _ body: (Int, HTTPServer) throws -> Result
) throws -> Result {
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    let server = HTTPServer(
        configuration: HTTPServerConfiguration(
            port: 0, workers: workers, maxBodySize: maxBodySize, timeoutSeconds: timeoutSeconds, reusePort: reusePort),
        responder: EchoResponder(), logger: logger)
    try server.start()
    defer {
        server.shutdown()
        server.wait()
    }
    return try body(server.port, server)
}

@Suite(.serialized) struct ServerTests {
    @Test func routesWithAndWithoutTrailingSlash() throws {
        try withServer { port, _ in
            let plain = try httpRequest(port: port, "GET", "/echo/ada?x=1&y=two+words")
            #expect(plain.status == 200)
            #expect(plain.json["name"] as? String == "ada")
            #expect(plain.json["query"] as? String == "x=1&y=two words")
            let slashed = try httpRequest(port: port, "GET", "/echo/ada/")
            #expect(slashed.status == 200)
            #expect(slashed.json["name"] as? String == "ada")
        }
    }

    @Test func pathIsPercentDecodedAndHeadersCaseInsensitive() throws {
        try withServer { port, _ in
            let response = try httpRequest(port: port, "GET", "/echo/a%40b.co", headers: ["USER-AGENT": "tester/1"])
            #expect(response.json["name"] as? String == "a@b.co")
            #expect(response.json["agent"] as? String == "tester/1")
        }
    }

    @Test func unknownPathIsJSON404() throws {
        try withServer { port, _ in
            let response = try httpRequest(port: port, "GET", "/nothing/here")
            #expect(response.status == 404)
            #expect(response.header("Content-Type") == "application/json")
            #expect(response.json["status"] as? Bool == false)
            #expect(response.message == "routeNotFound")
        }
    }

    @Test func otherMethodIsJSON405WithAllow() throws {
        try withServer { port, _ in
            let response = try httpRequest(port: port, "DELETE", "/echo/x")
            #expect(response.status == 405)
            #expect(response.header("Allow") == "GET, HEAD, OPTIONS")
            #expect(response.header("Content-Type") == "application/json")
            #expect(response.message == "methodNotAllowed")
            // PATCH and unknown-to-the-route methods too: libevent must not answer them itself.
            let patch = try httpRequest(port: port, "PATCH", "/echo")
            #expect(patch.status == 405)
            #expect(patch.header("Allow") == "POST, OPTIONS")
        }
    }

    @Test func optionsAnswersAllow() throws {
        try withServer { port, _ in
            let response = try httpRequest(port: port, "OPTIONS", "/echo/x")
            #expect(response.status == 204)
            #expect(response.header("Allow") == "GET, HEAD, OPTIONS")
        }
    }

    /// libevent would label an answer without a Content-Type as text/html; the server says nothing.
    @Test func anEmptyAnswerCarriesNoContentType() throws {
        try withServer { port, _ in
            let response = try httpRequest(port: port, "POST", "/accepted")
            #expect(response.status == 202)
            #expect(response.body.isEmpty)
            #expect(response.header("Content-Type") == nil, "\(response.headers)")
            #expect(try httpRequest(port: port, "GET", "/echo/x").header("Content-Type") == "application/json")
        }
    }

    /// The server writes `Date` itself (libevent would format it with snprintf on every answer):
    /// one field, in IMF-fixdate, the current second.
    @Test func everyAnswerHasOneDateOfTheCurrentSecond() throws {
        #expect(HTTPDate.format(0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(HTTPDate.format(951_782_400) == "Tue, 29 Feb 2000 00:00:00 GMT")
        #expect(HTTPDate.format(1_796_180_513) == "Wed, 02 Dec 2026 03:01:53 GMT")
        #expect(HTTPDate.format(4_102_444_799) == "Thu, 31 Dec 2099 23:59:59 GMT")
        try withServer { port, _ in
            for (method, path) in [("GET", "/echo/x"), ("POST", "/accepted"), ("GET", "/nowhere")] {
                let before = time(nil)
                let response = try httpRequest(port: port, method, path)
                let after = time(nil)
                let dates = response.headers.filter { $0.name.lowercased() == "date" }.map(\.value)
                #expect(dates.count == 1, "\(method) \(path): \(response.headers)")
                #expect((before...after).map(HTTPDate.format).contains(dates.first ?? ""), "\(dates)")
            }
        }
    }

    @Test func unparseableRequestLineIsAnsweredAsHTTP11() throws {
        try withServer { port, _ in
            for garbage in ["GARBAGE\r\n\r\n", "GET /echo/x HTTP/9.x\r\n\r\n", "\u{1}\u{2}\r\n\r\n"] {
                let connection = try RawHTTPConnection(port: port)
                try connection.send(garbage)
                let response = try connection.readResponse()
                // libevent leaves the version of an unparsed request at 0.0; no HTTP/1.x client reads "HTTP/0.0 400".
                #expect(response.statusLine.hasPrefix("HTTP/1.1 400 "), "status line for \(garbage.debugDescription): \(response.statusLine)")
                #expect(response.message == "unparseableRequest")
                #expect(response.header("Connection") == "close")
            }
        }
    }

    @Test func headHasLengthButNoBodyAndKeepsConnectionUsable() throws {
        try withServer { port, _ in
            let connection = try RawHTTPConnection(port: port)
            let head = try connection.request("HEAD", "/large")
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == "40000")
            #expect(!connection.hasPendingData(), "no body may follow a HEAD answer")
            let get = try connection.request("GET", "/echo/ada")
            #expect(get.json["name"] as? String == "ada")
        }
    }

    @Test func bodyOverTheLimitIsJSON413() throws {
        try withServer(maxBodySize: 1024) { port, _ in
            let response = try httpRequest(port: port, "POST", "/echo", body: Array(repeating: UInt8(ascii: "x"), count: 4096))
            #expect(response.status == 413)
            #expect(response.header("Content-Type") == "application/json")
            #expect(response.json["status"] as? Bool == false)
            #expect(response.message == "bodyTooLarge", "the application renders libevent's own 413")
            let small = try httpRequest(port: port, "POST", "/echo", body: Array("{\"ok\":1}".utf8))
            #expect(small.status == 200)
            #expect(small.text == "{\"ok\":1}")
        }
    }

    @Test func malformedRequestIsJSON400AndServerLivesOn() throws {
        try withServer { port, _ in
            for garbage in ["GARBAGE\r\n\r\n", "GET /echo/x HTTP/1.1\r\nNo-Colon-Here\r\n\r\n", "\u{1}\u{2}\u{3}\r\n\r\n"] {
                let connection = try RawHTTPConnection(port: port)
                try connection.send(garbage)
                let response = try connection.readResponse()
                #expect(response.status == 400, "for \(garbage.debugDescription)")
                #expect(response.header("Content-Type") == "application/json")
            }
            #expect(try httpRequest(port: port, "GET", "/echo/alive").status == 200)
        }
    }

    @Test func keepAliveServesManyRequestsOnOneConnection() throws {
        try withServer { port, _ in
            let connection = try RawHTTPConnection(port: port)
            for index in 0..<300 {
                let response = try connection.request("GET", "/echo/n\(index)")
                #expect(response.status == 200)
                #expect(response.json["name"] as? String == "n\(index)")
            }
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() throws {
        try withServer { port, _ in
            let connection = try RawHTTPConnection(port: port)
            var batch = ""
            for index in 0..<25 { batch += "GET /echo/p\(index) HTTP/1.1\r\nHost: x\r\n\r\n" }
            batch += "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 7\r\n\r\n{\"a\":1}"
            try connection.send(batch)
            for index in 0..<25 {
                let response = try connection.readResponse()
                #expect(response.json["name"] as? String == "p\(index)")
            }
            #expect(try connection.readResponse().text == "{\"a\":1}")
        }
    }

    @Test func largeResponsesArriveWhole() throws {
        try withServer { port, _ in
            let connection = try RawHTTPConnection(port: port)
            for _ in 0..<5 {
                let response = try connection.request("GET", "/large")
                #expect(response.body.count == 40_000)
            }
        }
    }

    /// Bodies from 8 KiB on are handed to libevent in place rather than copied: each must arrive
    /// byte for byte, pipelined answers too, and one dropped unread must not disturb the next.
    @Test func largeBodiesSentInPlaceArriveByteForByte() throws {
        try withServer { port, _ in
            let connection = try RawHTTPConnection(port: port)
            var batch = ""
            for index in 0..<12 { batch += "GET /pattern/\(index) HTTP/1.1\r\nHost: x\r\n\r\n" }
            try connection.send(batch)
            for index in 0..<12 {
                #expect(try connection.readResponse().body == patternedBody(index))
            }
            do {  // closed (deinit) at the end of the scope, its answer unread
                let abandoned = try RawHTTPConnection(port: port)
                try abandoned.send("GET /pattern/40 HTTP/1.1\r\nHost: x\r\n\r\n")
            }
            #expect(try connection.request("GET", "/pattern/41").body == patternedBody(41))
        }
    }

    @Test func concurrentClientsAcrossWorkers() throws {
        try withServer(workers: 2) { port, _ in
            let failures = LockedValue(0)
            DispatchQueue.concurrentPerform(iterations: 8) { client in
                do {
                    let connection = try RawHTTPConnection(port: port)
                    for index in 0..<100 {
                        let response = try connection.request("GET", "/echo/c\(client)-\(index)")
                        if response.json["name"] as? String != "c\(client)-\(index)" { failures.withLock { $0 += 1 } }
                    }
                } catch {
                    failures.withLock { $0 += 1 }
                }
            }
            #expect(failures.value == 0)
        }
    }

    @Test func reusePortListenersServeOnePort() throws {
        try withServer(workers: 3, reusePort: true) { port, _ in
            let failures = LockedValue(0)
            DispatchQueue.concurrentPerform(iterations: 6) { client in
                for index in 0..<30 {
                    let response = try? httpRequest(port: port, "GET", "/echo/r\(client)-\(index)")
                    if response?.json["name"] as? String != "r\(client)-\(index)" { failures.withLock { $0 += 1 } }
                }
            }
            #expect(failures.value == 0)
        }
    }

    @Test func stalledClientDoesNotBlockOthersAndIsCutOff() throws {
        // One worker: the stalled connection and the healthy one share a loop.
        try withServer(workers: 1, timeoutSeconds: 1) { port, _ in
            let stalled = try RawHTTPConnection(port: port)
            try stalled.send("GET /echo/stalled HTTP/1.1\r\nHost: x\r\nX-Half: ")
            for index in 0..<20 {
                #expect(try httpRequest(port: port, "GET", "/echo/h\(index)").status == 200)
            }
            #expect(stalled.waitForClose(), "the server should close a stalled connection after its timeout")
        }
    }

    @Test func clientThatNeitherSendsNorReadsIsCutOff() throws {
        // Connections have a read timeout and no write timeout; reading stays on while an answer
        // is written, so a client that stops reading (and sends nothing) is still closed.
        try withServer(workers: 1, timeoutSeconds: 1) { port, _ in
            let stalled = try RawHTTPConnection(port: port)
            try stalled.sendRequest("GET", "/huge")
            Thread.sleep(forTimeInterval: 3)
            var received = 0
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let count = recv(stalled.descriptor, &chunk, chunk.count, 0)
                if count <= 0 { break }
                received += count
            }
            #expect(received > 0, "the answer should have started")
            #expect(received < EchoResponder.hugeBodySize, "the server should have closed the connection, not sent it all")
            #expect(try httpRequest(port: port, "GET", "/echo/after").status == 200)
        }
    }

    @Test func eventStreamOutlivesTheTimeoutAndThenGetsItBack() throws {
        try withServer(workers: 1, timeoutSeconds: 1) { port, _ in
            let connection = try RawHTTPConnection(port: port)
            try connection.sendRequest("GET", "/stream")
            // The event comes 2.5 s in, past the 1 s timeout; then the stream ends (chunked 0).
            let text = try connection.receive(until: "0\r\n\r\n")
            #expect(text.contains("event: late\ndata: after the timeout\n\n"))
            // The connection stays usable, and has its timeout again: idle, it is closed.
            #expect(try connection.request("GET", "/echo/next").status == 200)
            let started = monotonicNanoseconds()
            #expect(connection.waitForClose(), "an idle connection should be closed after its timeout")
            #expect(monotonicNanoseconds() - started < 5_000_000_000)
        }
    }

    @Test func delayedResponseDoesNotDelayOthersOnTheSameLoop() throws {
        try withServer(workers: 1) { port, _ in
            let slow = try RawHTTPConnection(port: port)
            try slow.sendRequest("GET", "/slow")
            // The fast request is answered while /slow still waits on its timer: had the loop slept,
            // the slow answer would already be there.
            #expect(try httpRequest(port: port, "GET", "/echo/fast").status == 200)
            #expect(!slow.hasPendingData(), "the delayed answer must not come before the fast one")
            let slowResponse = try slow.readResponse()
            #expect(slowResponse.json["slow"] as? Bool == true)
        }
    }

    @Test func shutdownFinishesDelayedResponses() throws {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let server = HTTPServer(configuration: HTTPServerConfiguration(port: 0, workers: 2), responder: EchoResponder(), logger: logger)
        try server.start()
        let connection = try RawHTTPConnection(port: server.port)
        try connection.sendRequest("GET", "/slow")
        Thread.sleep(forTimeInterval: 0.2)
        server.shutdown()
        let response = try connection.readResponse()
        #expect(response.status == 200)
        server.wait()
        #expect(throws: (any Error).self) { _ = try RawHTTPConnection(port: server.port) }
    }

    @Test func busyPortFailsLoudly() throws {
        try withServer { port, _ in
            let second = HTTPServer(
                configuration: HTTPServerConfiguration(port: port, workers: 1), responder: EchoResponder(),
                logger: Logger(label: "test"))
            #expect(throws: SystemError.self) { try second.start() }
        }
    }
}

/// 20,000 printable bytes, shifted by `seed`.
func patternedBody(_ seed: Int) -> [UInt8] {
    let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)
    return (0..<20_000).map { alphabet[($0 + seed * 7) % alphabet.count] }
}
