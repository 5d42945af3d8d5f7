import EventHTTP
import Foundation
import HTTPTestSupport
import Logging
import PaystackMock
import Platform
import Testing
import Webhooks

/// HTTPS: every route the same over both listeners; webhook deliveries to HTTPS receivers.
@Suite(.serialized) struct TLSTests {
    let folder = TemporaryFolder("paystack-mock-tls")

    /// Two deterministic servers get the same requests, one over HTTP and one over HTTPS (verified
    /// against the CA the mock made): every answer, byte for byte, is the same.
    @Test func everyRouteAnswersTheSameBytesOverHTTPAndHTTPS() throws {
        let arguments = ["--port", "0", "--tls-port", "0", "--tls-dir", folder.file("tls"), "--deterministic", "--log-level", "error"]
        let plain = try MockProcess(arguments: arguments).start()
        defer { plain.stop() }
        let secure = try MockProcess(arguments: arguments).start()
        defer { secure.stop() }
        #expect(secure.firstLine.hasPrefix("paystack-mock listening on http://127.0.0.1:"))
        let tlsPort = try #require(secure.tlsPort, "the ready line names the HTTPS port: \(secure.firstLine)")
        #expect(secure.firstLine.contains(" and https://127.0.0.1:\(tlsPort)"))
        let ca = folder.file("tls/ca.pem")
        #expect(try httpRequest(port: secure.port, "GET", "/_sandbox/tls/ca.pem").text == String(decoding: try FileSystem.read(ca), as: UTF8.self))

        let auth = ["Authorization": "Bearer \(Keys.acmeTest)", "Content-Type": "application/json"]
        let code = try httpRequest(port: plain.port, "GET", "/customer?perPage=1", headers: auth).list.first?["customer_code"] as? String ?? ""
        _ = try httpsRequest(port: tlsPort, caPath: ca, "GET", "/customer?perPage=1", headers: auth)  // the same journal on both
        let steps: [(String, String, [String: Any]?)] = [
            ("GET", "/customer?perPage=3", nil), ("GET", "/customer/\(code)", nil), ("POST", "/customer", ["email": "tls@example.com", "metadata": ["a": 1]]),
            ("PUT", "/customer/tls@example.com", ["first_name": "Tee"]), ("POST", "/customer/set_risk_action", ["customer": code, "risk_action": "deny"]),
            ("POST", "/customer/authorization/deactivate", ["authorization_code": "AUTH_unknown0001"]),
            ("POST", "/customer/deactivate_authorization", ["authorization_code": "bad"]),
            ("POST", "/customer/\(code)/identification", ["country": "NG", "type": "bank_account", "account_number": "0000000003", "bvn": "1", "bank_code": "007", "first_name": "A", "last_name": "B"]),
            ("GET", "/customer/CUS_nothere00000000", nil), ("GET", "/nowhere", nil), ("DELETE", "/customer", nil), ("GET", "/openapi.yml", nil),
            ("GET", "/_sandbox/clock", nil), ("POST", "/_sandbox/faults", ["status": 503, "path": "/nothing"]), ("GET", "/_sandbox/faults", nil),
            ("GET", "/_sandbox/requests?limit=3", nil), ("GET", "/_sandbox/webhooks", nil), ("GET", "/_sandbox/webhook", nil),
            ("GET", "/_sandbox/state", nil), ("POST", "/_sandbox/reset", [:]), ("GET", "/customer?perPage=2", nil),
        ]
        for (method, target, body) in steps {
            let bytes = body.map(jsonBody) ?? []
            let overHTTP = try httpRequest(port: plain.port, method, target, headers: auth, body: bytes)
            let overHTTPS = try httpsRequest(port: tlsPort, caPath: ca, serverName: "api.paystack.co", method, target, headers: auth, body: bytes)
            #expect(overHTTPS.status == overHTTP.status, "\(method) \(target)")
            // The journal's durations are the only thing that may differ.
            let a = Array(Self.withoutDurations(overHTTPS.text).utf8), b = Array(Self.withoutDurations(overHTTP.text).utf8)
            let differ = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? (a.count == b.count ? nil : min(a.count, b.count))
            #expect(differ == nil, "\(method) \(target): same bytes over HTTPS; they differ at \(differ ?? 0): \(String(decoding: a.dropFirst(max(0, (differ ?? 0) - 40)).prefix(100), as: UTF8.self)) / \(String(decoding: b.dropFirst(max(0, (differ ?? 0) - 40)).prefix(100), as: UTF8.self))")
        }
    }

    static func withoutDurations(_ text: String) -> String {
        text.replacingOccurrences(of: #""duration_ms":[0-9.]+"#, with: "\"duration_ms\":0", options: .regularExpression)
    }

    @Test func theMadeCertificatePassesStrictVerificationForEveryName() throws {
        let mock = try MockProcess(arguments: ["--port", "0", "--tls-port", "0", "--tls-dir", folder.file("names"), "--tls-name", "mock.test", "--log-level", "error"]).start()
        defer { mock.stop() }
        let tlsPort = try #require(mock.tlsPort)
        for name in ["localhost", "127.0.0.1", "api.paystack.co", "paystack-mock", "mock.test"] {
            let reply = try httpsRequest(port: tlsPort, caPath: folder.file("names/ca.pem"), serverName: name, "GET", "/openapi.yml")
            #expect(reply.status == 200, "verified as \(name)")
        }
        #expect(throws: ClientError.self, "a name it is not for") {
            try httpsRequest(port: tlsPort, caPath: folder.file("names/ca.pem"), serverName: "other.test", "GET", "/openapi.yml")
        }
        // Plain HTTP to the TLS port costs that connection only.
        _ = try? httpRequest(port: tlsPort, "GET", "/openapi.yml")
        #expect(try httpRequest(port: mock.port, "GET", "/openapi.yml").status == 200)
    }

    @Test func theCertificateIsKeptAcrossRestartsAndRemadeWhenNamesChange() throws {
        let authority = CertificateAuthority(directory: folder.file("kept"))
        #expect(try authority.prepare(names: ["localhost"]) == .init(madeCA: true, madeServerCertificate: true))
        let ca = try FileSystem.read(authority.caPath)
        #expect(try authority.prepare(names: ["localhost"]) == .init(madeCA: false, madeServerCertificate: false), "kept")
        #expect(try authority.prepare(names: ["localhost", "extra.test"]) == .init(madeCA: false, madeServerCertificate: true))
        #expect(try FileSystem.read(authority.caPath) == ca, "the CA stays: trusted once, trusted for good")
    }

    /// The CA certificate is for every user of the machine (an app container with another uid reads
    /// it from a shared volume); the private keys are for the mock's user alone.
    @Test func theCAIsReadableByOtherUsersAndTheKeysAreNot() throws {
        let authority = CertificateAuthority(directory: folder.file("shared/tls"))
        try authority.prepare(names: ["localhost"])
        func mode(_ path: String) -> mode_t {
            var info = stat()
            return stat(path, &info) == 0 ? info.st_mode & 0o777 : 0
        }
        #expect(mode(authority.directory) & 0o005 == 0o005, "others may enter the folder: \(String(mode(authority.directory), radix: 8))")
        #expect(mode(authority.caPath) & 0o004 == 0o004, "others may read ca.pem")
        #expect(mode(authority.chainPath) & 0o004 == 0o004, "others may read server.pem")
        #expect(mode(authority.keyPath) == 0o600)
        #expect(mode(authority.directory + "/ca-key.pem") == 0o600)
    }

    // MARK: Webhooks to HTTPS receivers

    /// An HTTPS receiver: our own server, with a certificate from its own CA for `names`.
    final class SecureReceiver: Sendable {
        let server: HTTPServer
        let caPath: String
        let received = LockedValue(0)

        private final class Counter: HTTPResponder {
            let count: LockedValue<Int>
            init(_ count: LockedValue<Int>) { self.count = count }
            func respond(to request: HTTPRequest) -> HTTPResponse {
                count.withLock { $0 += 1 }
                return HTTPResponse(status: 200)
            }
        }

        init(folder: String, names: [String]) throws {
            let authority = CertificateAuthority(directory: folder)
            try authority.prepare(names: names)
            caPath = authority.caPath
            var logger = Logger(label: "receiver")
            logger.logLevel = .critical
            let context = try TLSServerContext(chainPath: authority.chainPath, keyPath: authority.keyPath)
            server = HTTPServer(
                configuration: HTTPServerConfiguration(port: 0, workers: 1, tls: .init(port: 0, context: context)),
                responder: Counter(received), logger: logger)
            try server.start()
        }

        var tlsPort: Int { server.tlsPort! }

        deinit {
            server.shutdown()
            server.wait()
        }
    }

    /// Sends the test event to `url` and waits for its outcome: the delivery's state and its first attempt's error.
    func deliver(_ url: String, options: WebhookOptions) throws -> (state: String?, error: String?) {
        let mock = Mock(webhooks: options)
        let sent = mock.call(.POST, "/_sandbox/webhooks/test", key: nil, json: ["url": url])
        #expect(sent.status == 200, "\(sent.text)")
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            let delivery = mock.call(.GET, "/_sandbox/webhooks", key: nil).list.first
            if let state = delivery?["state"] as? String, state != "pending" {
                return (state, (delivery?["attempts"] as? [[String: Any]])?.first?["error"] as? String)
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return (nil, nil)
    }

    @Test func webhooksReachAnHTTPSReceiverTrustedThroughTheCAFile() throws {
        let receiver = try SecureReceiver(folder: folder.file("receiver"), names: ["localhost", "127.0.0.1"])
        let outcome = try deliver("https://localhost:\(receiver.tlsPort)/hook", options: WebhookOptions(retryMilliseconds: [], caFile: receiver.caPath))
        #expect(outcome.state == "delivered", "error: \(outcome.error ?? "none")")
        #expect(receiver.received.value == 1)
    }

    @Test func anUntrustedReceiverFailsWithOpenSSLsReason() throws {
        let receiver = try SecureReceiver(folder: folder.file("untrusted"), names: ["localhost", "127.0.0.1"])
        let outcome = try deliver("https://127.0.0.1:\(receiver.tlsPort)/hook", options: WebhookOptions(retryMilliseconds: []))
        #expect(outcome.state == "failed")
        #expect(outcome.error == "self-signed certificate in certificate chain", "the system store does not know the receiver's CA")
        #expect(receiver.received.value == 0)
    }

    @Test func aReceiverOfAnotherNameFailsWithHostnameMismatch() throws {
        let receiver = try SecureReceiver(folder: folder.file("wrong"), names: ["wrong.example"])
        let outcome = try deliver("https://localhost:\(receiver.tlsPort)/hook", options: WebhookOptions(retryMilliseconds: [], caFile: receiver.caPath))
        #expect(outcome.state == "failed")
        #expect(outcome.error == "hostname mismatch")
        #expect(receiver.received.value == 0)
    }

    @Test func insecureDeliversWithoutVerifying() throws {
        let receiver = try SecureReceiver(folder: folder.file("insecure"), names: ["wrong.example"])
        let outcome = try deliver("https://127.0.0.1:\(receiver.tlsPort)/hook", options: WebhookOptions(retryMilliseconds: [], insecure: true))
        #expect(outcome.state == "delivered", "error: \(outcome.error ?? "none")")
        #expect(receiver.received.value == 1)
    }
}
