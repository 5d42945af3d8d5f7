@testable import EventHTTP
import Foundation
import HTTPTestSupport
import JSON
@testable import PaystackAPI
@testable import PaystackCore
import PaystackMock
import Platform
@testable import Sandbox
import Testing
@testable import Webhooks

/// A webhook receiver on a loopback port (the project's own server): records every request and
/// answers the statuses it is given in turn (then the last one for ever).
final class Receiver: Sendable {
    struct Received: Sendable {
        let headers: HTTPHeaders
        let body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:] }
    }

    /// The responder: a separate object, so that the server does not keep the receiver alive.
    private final class Log: HTTPResponder {
        let state: LockedValue<(received: [Received], statuses: [Int])>

        init(statuses: [Int]) {
            state = LockedValue(([], statuses))
        }

        func respond(to request: HTTPRequest) -> HTTPResponse {
            let status = state.withLock { state -> Int in
                state.received.append(Received(headers: request.headers, body: request.body))
                return state.statuses.count > 1 ? state.statuses.removeFirst() : state.statuses[0]
            }
            return HTTPResponse(status: status, body: Array("ok".utf8))
        }
    }

    private let log: Log
    private let server: RunningServer

    private let host: String

    /// Listens on `host`: an IPv4 address, or an IPv6 one (such as "::1").
    init(statuses: [Int] = [200], host: String = "127.0.0.1") {
        log = Log(statuses: statuses)
        server = RunningServer(responder: log, host: host)
        self.host = host
    }

    var url: String { "http://\(host.contains(":") ? "[\(host)]" : host):\(server.port)/paystack/webhook" }
    var received: [Received] { log.state.withLock { $0.received } }

    func answer(with statuses: [Int]) { log.state.withLock { $0.statuses = statuses } }

    /// Waits (up to 15 s) until `count` requests have arrived.
    @discardableResult
    func waitFor(_ count: Int) -> [Received] {
        let deadline = Date().addingTimeInterval(15)
        while received.count < count && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        return received
    }
}

/// HMAC-SHA512 as the `openssl` command computes it: a check that does not share the server's code.
func hmacSHA512Hex(_ body: [UInt8], key: String) -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
    process.arguments = ["dgst", "-sha512", "-hmac", key]
    let input = Pipe(), output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try! process.run()
    input.fileHandleForWriting.write(Data(body))
    try! input.fileHandleForWriting.close()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return String(text.split(separator: " ").last ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
}

private let testCredential: [String: String] = [
    "country": "NG", "type": "bank_account", "account_number": "0111111111", "bvn": "222222222221",
    "bank_code": "007", "first_name": "Uchenna", "last_name": "Okoro",
]

private func identification(account: String, bvn: String = "12345678901", bank: String = "058") -> [String: String] {
    ["country": "NG", "type": "bank_account", "account_number": account, "bvn": bvn, "bank_code": bank,
     "first_name": "Ada", "last_name": "Obi"]
}

/// Waits (up to 15 s) until `condition` holds.
private func eventually(_ condition: () -> Bool) {
    let deadline = Date().addingTimeInterval(15)
    while !condition() && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
}

@Suite struct WebhookTests {
    @Test func successPayloadSignatureAndCustomerState() throws {
        let receiver = Receiver()
        let mock = Mock(webhooks: WebhookOptions(kycDelayMilliseconds: 0, defaultURL: receiver.url))
        let accepted = mock.call(.POST, "/customer/\(Fixtures.code(0))/identification", json: testCredential)
        #expect(accepted.status == 202)
        let delivery = try #require(receiver.waitFor(1).first)
        #expect(delivery.text == #"{"event":"customeridentification.success","data":{"customer_id":1000,"customer_code":"CUS_000000000000000","email":"customer0@example.com","identification":{"country":"NG","type":"bank_account","bvn":"222******221","account_number":"011****111","bank_code":"007"}}}"#)
        #expect(delivery.headers["Content-Type"] == "application/json")
        #expect(delivery.headers["User-Agent"] == "Paystack/2.0")
        let signature = try #require(delivery.headers["x-paystack-signature"])
        #expect(signature == hmacSHA512Hex(delivery.body, key: Keys.acmeTest), "signed with the test secret key")
        #expect(signature != hmacSHA512Hex(delivery.body, key: Keys.acmeLive))
        #expect(signature != hmacSHA512Hex(delivery.body, key: Keys.savannaTest))
        #expect(signature.count == 128 && signature == signature.lowercased())

        eventually { mock.call(.GET, "/customer/\(Fixtures.code(0))").data["identified"] as? Bool == true }
        let customer = mock.call(.GET, "/customer/\(Fixtures.code(0))").data
        #expect(customer["identified"] as? Bool == true)
        #expect(customer["first_name"] as? String == "Uchenna")
        #expect(customer["last_name"] as? String == "Okoro")
        let entries = customer["identifications"] as? [[String: Any]]
        #expect(entries?.count == 1)
        #expect(entries?.first?["country"] as? String == "NG")
        #expect(entries?.first?["type"] as? String == "bank_account")
        #expect(entries?.first?["value"] as? String == "011****111")
        let update = mock.call(.PUT, "/customer/\(Fixtures.code(0))", json: ["first_name": "Renamed", "phone": "+2348000000000"])
        #expect(update.data["first_name"] as? String == "Uchenna", "names are locked after identification")
        #expect(update.data["phone"] as? String == "+2348000000000")

        // The same identity again: a second signed success, still one entry (repeats would grow
        // every answer without bound).
        #expect(mock.call(.POST, "/customer/\(Fixtures.code(0))/identification", json: testCredential).status == 202)
        #expect(receiver.waitFor(2).count == 2)
        eventually { mock.call(.GET, "/_sandbox/webhooks", key: nil).list.count == 2 }
        #expect((mock.call(.GET, "/customer/\(Fixtures.code(0))").data["identifications"] as? [[String: Any]])?.count == 1)
    }

    @Test(arguments: IdentificationOutcomes.failingAccounts)
    func magicAccountsFailWithTheirReasonAndLeaveTheCustomer(account: String, reason: String) throws {
        let receiver = Receiver()
        let mock = Mock(webhooks: WebhookOptions(kycDelayMilliseconds: 0, defaultURL: receiver.url))
        let before = mock.call(.GET, "/customer/\(Fixtures.code(1))").text
        #expect(mock.call(.POST, "/customer/\(Fixtures.code(1))/identification", json: identification(account: account)).status == 202)
        let delivery = try #require(receiver.waitFor(1).first)
        let json = delivery.json
        #expect(json["event"] as? String == "customeridentification.failed")
        let data = try #require(json["data"] as? [String: Any])
        #expect(data["customer_id"] as? Int == 1001)
        #expect(data["customer_code"] as? String == Fixtures.code(1))
        #expect(data["email"] as? String == "customer1@example.com")
        #expect(data["reason"] as? String == reason)
        let id = try #require(data["identification"] as? [String: Any])
        #expect(id["bvn"] as? String == "123*****901")
        #expect(id["account_number"] as? String == account.prefix(3) + "****" + account.suffix(3))
        #expect(id["bank_code"] as? String == "058")
        #expect(id["country"] as? String == "NG")
        #expect(id["type"] as? String == "bank_account")
        #expect(delivery.text.hasSuffix(#","reason":"\#(reason)"}}"#), "reason comes last, as in Paystack's example")
        #expect(mock.call(.GET, "/customer/\(Fixtures.code(1))").text == before, "a failure changes nothing")
    }

    @Test func outcomeRules() {
        func request(_ account: String, bvn: String = "12345678901", bank: String = "058", domain: Domain = .test) -> PendingIdentification {
            let body = JSONObject(identification(account: account, bvn: bvn, bank: bank).map { ($0.key, JSONValue.string($0.value)) })
            let customer = Customer(
                id: 1, integration: Fixtures.acme.id, domain: domain, customerCode: Fixtures.code(1), email: "kyc@example.com",
                createdAt: Timestamp(seconds: 0), updatedAt: Timestamp(seconds: 0))
            return PendingIdentification(try! IdentificationSubmission(RequestBody(fields: body, isForm: false)), for: customer)
        }
        let credential = request("0111111111", bvn: "222222222221", bank: "007")
        #expect(IdentificationOutcomes.decide(credential, mode: .rules) == .success)
        for (account, reason) in IdentificationOutcomes.failingAccounts {
            #expect(IdentificationOutcomes.decide(request(account), mode: .rules) == .failed(reason: reason))
            #expect(IdentificationOutcomes.decide(request(account, domain: .live), mode: .rules) == .failed(reason: reason))
        }
        #expect(IdentificationOutcomes.decide(request("0123456789"), mode: .rules) == .failed(reason: "Account number or BVN is incorrect"))
        #expect(IdentificationOutcomes.decide(request("0123456789", domain: .live), mode: .rules) == .success)
        #expect(IdentificationOutcomes.decide(request("0123456789"), mode: .success) == .success)
        #expect(IdentificationOutcomes.decide(credential, mode: .failed) == .failed(reason: "Account number or BVN is incorrect"))
    }

    @Test func liveDomainSucceedsAndIsSignedWithTheLiveKey() throws {
        let receiver = Receiver()
        let mock = Mock(webhooks: WebhookOptions(kycDelayMilliseconds: 0, defaultURL: receiver.url))
        #expect(mock.call(.POST, "/customer/live@example.com/identification", key: Keys.acmeLive,
                          json: identification(account: "0123456789")).status == 202)
        let delivery = try #require(receiver.waitFor(1).first)
        #expect(delivery.json["event"] as? String == "customeridentification.success")
        #expect(delivery.headers["x-paystack-signature"] == hmacSHA512Hex(delivery.body, key: Keys.acmeLive))
    }

    @Test func retriesUntil200AndLogsEveryAttempt() throws {
        let receiver = Receiver(statuses: [500, 500, 200])
        let mock = Mock(webhooks: WebhookOptions(kycDelayMilliseconds: 0, defaultURL: receiver.url, retryMilliseconds: [50, 50, 50]))
        #expect(mock.call(.POST, "/customer/\(Fixtures.code(0))/identification", json: testCredential).status == 202)
        let received = receiver.waitFor(3)
        #expect(received.count == 3)
        #expect(Set(received.map(\.text)).count == 1, "every attempt sends the same bytes")
        eventually { mock.call(.GET, "/_sandbox/webhooks", key: nil).list.first?["state"] as? String == "delivered" }
        let log = try #require(mock.call(.GET, "/_sandbox/webhooks", key: nil).list.first)
        #expect(log["state"] as? String == "delivered")
        #expect(log["event"] as? String == "customeridentification.success")
        #expect(log["url"] as? String == receiver.url)
        #expect(log["body"] as? String == received[0].text)
        #expect(log["signature"] as? String == received[0].headers["x-paystack-signature"])
        let attempts = try #require(log["attempts"] as? [[String: Any]])
        #expect(attempts.map { $0["status"] as? Int } == [500, 500, 200])
        #expect(attempts.map { $0["error"] as? String } == ["answered 500", "answered 500", nil])
        Thread.sleep(forTimeInterval: 0.2)
        #expect(receiver.received.count == 3, "no attempt after the 200")
    }

    @Test func aSilentReceiverNeverSlowsTheAPI() throws {
        // Accepts connections (the kernel does) and never answers.
        let silent = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(silent) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(silent, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        listen(silent, 16)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(silent, $0, &length) } }
        let url = "http://127.0.0.1:\(UInt16(bigEndian: address.sin_port))/hook"

        let mock = Mock(webhooks: WebhookOptions(kycDelayMilliseconds: 0, defaultURL: url, retryMilliseconds: [], timeoutMilliseconds: 3_000))
        #expect(mock.call(.POST, "/customer/\(Fixtures.code(0))/identification", json: testCredential).status == 202)
        eventually { !mock.call(.GET, "/_sandbox/webhooks", key: nil).list.isEmpty }
        // While the attempt hangs, the API answers: 50 requests all complete before the attempt ends.
        for index in 0..<50 {
            #expect(mock.call(.GET, "/customer?page=\(index % 3 + 1)&perPage=1").status == 200)
        }
        let during = try #require(mock.call(.GET, "/_sandbox/webhooks", key: nil).list.first)
        #expect((during["attempts"] as? [Any])?.isEmpty == true, "the attempt was still waiting while the API answered")
        #expect(during["state"] as? String == "pending")
        eventually { mock.call(.GET, "/_sandbox/webhooks", key: nil).list.first?["state"] as? String == "failed" }
        let after = try #require(mock.call(.GET, "/_sandbox/webhooks", key: nil).list.first)
        let attempts = after["attempts"] as? [[String: Any]]
        #expect(attempts?.count == 1)
        #expect(attempts?.first?["status"] is NSNull)
        #expect(attempts?.first?["error"] as? String == "timed out")
    }

    @Test func redeliverSendsTheSameEventAgain() throws {
        let receiver = Receiver(statuses: [503])
        let mock = Mock(webhooks: WebhookOptions(kycDelayMilliseconds: 0, defaultURL: receiver.url, retryMilliseconds: []))
        #expect(mock.call(.POST, "/customer/\(Fixtures.code(0))/identification", json: testCredential).status == 202)
        eventually { mock.call(.GET, "/_sandbox/webhooks", key: nil).list.first?["state"] as? String == "failed" }
        let failed = try #require(mock.call(.GET, "/_sandbox/webhooks", key: nil).list.first)
        receiver.answer(with: [200])
        let id = try #require(failed["id"] as? Int)
        let redelivery = mock.call(.POST, "/_sandbox/webhooks/\(id)/redeliver", key: nil)
        #expect(redelivery.status == 200)
        #expect(redelivery.message == SandboxMessages.webhookRedelivering)
        eventually { mock.call(.GET, "/_sandbox/webhooks", key: nil).list.first?["state"] as? String == "delivered" }
        let log = try #require(mock.call(.GET, "/_sandbox/webhooks", key: nil).list.first)
        #expect((log["attempts"] as? [[String: Any]])?.map { $0["status"] as? Int } == [503, 200])
        #expect(receiver.received.count == 2)
        #expect(receiver.received[0].text == receiver.received[1].text)
        #expect(mock.call(.POST, "/_sandbox/webhooks/999/redeliver", key: nil).status == 404)
        #expect(mock.call(.POST, "/_sandbox/webhooks/abc/redeliver", key: nil).status == 404)
    }

    @Test func testEventAndTargets() throws {
        let receiver = Receiver()
        let mock = Mock(webhooks: WebhookOptions(kycDelayMilliseconds: 0))
        #expect(mock.call(.POST, "/_sandbox/webhooks/test", key: nil, json: ["integration": Fixtures.acme.id]).status == 400,
                "no URL anywhere yet")
        let set = mock.call(.PUT, "/_sandbox/webhook", key: nil, json: ["integration": Keys.savannaLive, "url": receiver.url])
        #expect(set.status == 200)
        #expect(set.data["integration"] as? Int == Fixtures.savanna.id)
        #expect(set.data["url"] as? String == receiver.url)
        let targets = mock.call(.GET, "/_sandbox/webhook", key: nil).list
        #expect(targets.first { $0["integration"] as? Int == Fixtures.savanna.id }?["url"] as? String == receiver.url)
        #expect(targets.first { $0["integration"] as? Int == Fixtures.acme.id }?["url"] is NSNull)

        let sent = mock.call(.POST, "/_sandbox/webhooks/test", key: nil, json: ["integration": Keys.savannaLive])
        #expect(sent.status == 200)
        #expect(sent.data["domain"] as? String == "live", "a live key picks the live domain")
        let delivery = try #require(receiver.waitFor(1).first)
        #expect(delivery.json["event"] as? String == "customeridentification.success")
        #expect(delivery.headers["x-paystack-signature"] == hmacSHA512Hex(delivery.body, key: Keys.savannaLive))

        #expect(mock.call(.PUT, "/_sandbox/webhook", key: nil, json: ["integration": 42, "url": receiver.url]).status == 404)
        #expect(mock.call(.PUT, "/_sandbox/webhook", key: nil, json: ["integration": Fixtures.acme.id, "url": "ftp://x"]).status == 400)
        #expect(mock.call(.PUT, "/_sandbox/webhook", key: nil, json: ["url": receiver.url]).status == 400)
        #expect(mock.call(.PUT, "/_sandbox/webhook", key: nil, json: ["integration": Fixtures.savanna.id, "url": NSNull()]).status == 200)
        #expect(mock.call(.GET, "/_sandbox/webhook", key: nil).list.allSatisfy { $0["url"] is NSNull })
    }

    /// A URL is accepted only when the client could deliver to it: libevent's parser decides, on
    /// bytes (not Unicode characters), so nothing is stored that every attempt would then fail on.
    @Test func undeliverableURLsAreRefusedAndChangeNothing() throws {
        let refused = [
            "http://h\u{6}x/", "http://exämple.com/", "http://[::1", "http://a:99999999/", "http://a:-1/", "http://a:0/",
            "http://@/", "http://:80/", "http://h\u{301}x", "http://\u{301}", "https://\u{600} x/", "http:// x/", "http://",
            "ftp://x/", "http://x/a b", "http://x/<y>", "http://user:pw@x/", "http://[v1.x]/", "http://x/%zz",
            "http://[::a:0:]/", "http://[::ffff:1.2.03.4]/", "http://[1:2:3:4:5:6:7:8:9]/", "http://[1::2::3]/",
        ]
        for url in refused {
            guard case .failure = DeliveryTarget.parse(url) else { Issue.record("parsed: \(url.debugDescription)"); continue }
        }
        let mock = Mock(webhooks: WebhookOptions(kycDelayMilliseconds: 0))
        for url in refused {
            let answer = mock.call(.PUT, "/_sandbox/webhook", key: nil, json: ["integration": Fixtures.acme.id, "url": url])
            #expect(answer.status == 400, "\(url.debugDescription)")
            #expect(answer.message?.hasPrefix("\"url\" must be an http:// or https:// URL") == true, "\(answer.message ?? "")")
            #expect(mock.call(.POST, "/_sandbox/webhooks/test", key: nil, json: ["integration": Fixtures.acme.id, "url": url]).status == 400)
        }
        #expect(mock.call(.GET, "/_sandbox/webhook", key: nil).list.allSatisfy { $0["url"] is NSNull })
        #expect(mock.call(.GET, "/_sandbox/webhooks", key: nil).list.isEmpty, "no attempt was recorded")
        let state = ["integrations": [["id": 1, "secret_keys": ["test": "sk_test_abcdef"], "webhook_url": "http://@/"]]]
        let imported = mock.call(.PUT, "/_sandbox/state", key: nil, json: state)
        #expect(imported.status == 400)
        #expect(imported.message?.contains("webhook_url http://@/ cannot be delivered to") == true, "\(imported.message ?? "")")
        #expect(mock.call(.GET, "/customer").status == 200, "the store is untouched")

        let accepted = try #require(try? DeliveryTarget.parse("https://[::1]:8443/hook?x=1").get())
        #expect(accepted == DeliveryTarget(secure: true, host: "::1", givenPort: 8443, target: "/hook?x=1"))
        #expect(accepted.hostHeader == "[::1]:8443")
        for literal in ["::", "::1", "1::", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:1.2.3.4", "::ffff:10.0.0.255", "a:b::c:d"] {
            #expect(isIPv6Address(literal), "\(literal)")
        }
        for literal in ["1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1::2::3", ":1::", "1::2:", "12345::", "::1.2.3", "::256.1.1.1", "1.2.3.4::", "g::"] {
            #expect(!isIPv6Address(literal), "\(literal)")
        }
        let plain = try #require(try? DeliveryTarget.parse("HTTP://Example.com").get())
        #expect(plain.port == 80 && plain.target == "/" && plain.hostHeader == "Example.com")
        #expect(mock.call(.PUT, "/_sandbox/webhook", key: nil, json: ["integration": Fixtures.acme.id, "url": "http://xn--exmple-cua.com/"]).status == 200)
    }

    @Test func deliveriesFilterByIntegrationAndLimit() {
        let mock = Mock(webhooks: WebhookOptions(kycDelayMilliseconds: 0))
        for target in [Fixtures.acme.id, Fixtures.savanna.id, Fixtures.acme.id] {
            #expect(mock.call(.POST, "/_sandbox/webhooks/test", key: nil, json: ["integration": target, "url": "http://127.0.0.1:9/"]).status == 200)
        }
        let all = mock.call(.GET, "/_sandbox/webhooks", key: nil).list
        #expect(all.count == 3)
        let ids = all.compactMap { $0["id"] as? Int }
        #expect(ids == ids.sorted(by: >), "newest first")
        let acme = mock.call(.GET, "/_sandbox/webhooks?integration=\(Fixtures.acme.id)", key: nil).list
        #expect(acme.count == 2 && acme.allSatisfy { $0["integration"] as? Int == Fixtures.acme.id })
        #expect(mock.call(.GET, "/_sandbox/webhooks?integration=\(Keys.savannaLive)", key: nil).list.count == 1, "by secret key")
        #expect(mock.call(.GET, "/_sandbox/webhooks?integration=424242", key: nil).list.isEmpty)
        #expect(mock.call(.GET, "/_sandbox/webhooks?integration=sk_test_nobody", key: nil).status == 404)
        let newest = mock.call(.GET, "/_sandbox/webhooks?limit=1", key: nil).list
        #expect(newest.count == 1 && newest.first?["id"] as? Int == ids.first)
        #expect(mock.call(.GET, "/_sandbox/webhooks?limit=0", key: nil).message == SandboxMessages.limitInvalid)
        #expect(mock.call(.GET, "/_sandbox/webhooks?limit=x", key: nil).status == 400)
    }

    /// An IPv6 literal is connected to without its brackets and named with them in `Host`.
    @Test func deliversToAnIPv6Literal() throws {
        let receiver = Receiver(host: "::1")
        let mock = Mock(webhooks: WebhookOptions(kycDelayMilliseconds: 0))
        #expect(mock.call(.POST, "/_sandbox/webhooks/test", key: nil, json: ["integration": Fixtures.acme.id, "url": receiver.url]).status == 200)
        let delivery = try #require(receiver.waitFor(1).first)
        #expect(delivery.headers["host"]?.hasPrefix("[::1]:") == true, "\(delivery.headers)")
    }

    @Test func withoutAURLTheOutcomeIsStillRecorded() throws {
        let mock = Mock(webhooks: WebhookOptions(kycDelayMilliseconds: 0))
        #expect(mock.call(.POST, "/customer/\(Fixtures.code(0))/identification", json: testCredential).status == 202)
        eventually { !mock.call(.GET, "/_sandbox/webhooks", key: nil).list.isEmpty }
        let log = try #require(mock.call(.GET, "/_sandbox/webhooks", key: nil).list.first)
        #expect(log["state"] as? String == "no_url")
        #expect(log["url"] is NSNull)
        #expect(mock.call(.GET, "/customer/\(Fixtures.code(0))").data["identified"] as? Bool == true)
        #expect(mock.call(.DELETE, "/_sandbox/webhooks", key: nil).status == 200)
        #expect(mock.call(.GET, "/_sandbox/webhooks", key: nil).list.isEmpty)
    }

    @Test func masking() {
        #expect(maskedIdentifier("20012345677") == "200*****677")
        #expect(maskedIdentifier("0123456789") == "012****789")
        #expect(maskedIdentifier("123456") == "******")
    }
}
