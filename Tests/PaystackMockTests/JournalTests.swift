import EventHTTP
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

@Suite struct JournalTests {
    @Test func recordsRequestsNewestFirstWithTheirAnswers() {
        let mock = Mock()
        _ = mock.call(.POST, "/customer", json: ["email": "journal@example.com"])
        _ = mock.call(.GET, "/customer?perPage=2&page=1")
        _ = mock.call(.GET, "/customer/nobody@example.com")
        #expect(mock.call(.GET, "/openapi.yml", key: nil).status == 200)
        let reply = mock.call(.GET, "/_sandbox/requests", key: nil)
        #expect(reply.status == 200)
        #expect(reply.message == SandboxMessages.requests)
        let entries = reply.list
        #expect(entries.count == 3, "admin requests and the API document are not journaled")
        #expect(entries.map { $0["path"] as? String } == ["/customer/nobody@example.com", "/customer", "/customer"])
        #expect(entries.map { $0["status"] as? Int } == [404, 200, 200])
        #expect(entries[1]["query"] as? String == "perPage=2&page=1")
        let create = entries[2]
        #expect(create["method"] as? String == "POST")
        #expect(create["integration"] as? Int == Fixtures.acme.id)
        #expect((create["body"] as? String)?.contains("journal@example.com") == true)
        #expect((create["response_body"] as? String)?.contains("\"Customer created\"") == true)
        #expect((create["headers"] as? [String: Any])?["content-type"] as? String == "application/json")
        #expect((create["duration_ms"] as? Double).map { $0 >= 0 } == true)
        #expect(create["time"] as? String == "2025-06-01T12:00:00.000Z", "the server clock stamps entries")
        let ids = entries.compactMap { $0["id"] as? Int }
        #expect(ids == ids.sorted(by: >))
    }

    @Test func neverHoldsAFullSecretKey() {
        let mock = Mock()
        _ = mock.call(.GET, "/customer")
        _ = mock.call(.GET, "/customer?key=\(Keys.acmeLive)", key: Keys.savannaTest)
        _ = mock.call(.POST, "/customer", json: ["email": "k@example.com", "metadata": ["key": Keys.acmeTest]])
        _ = mock.call(.GET, "/customer", authorization: "Bearer sk_test_almost_but_not_quite_a_key")
        let text = mock.call(.GET, "/_sandbox/requests", key: nil).text
        for key in [Keys.acmeTest, Keys.acmeLive, Keys.savannaTest, "sk_test_almost_but_not_quite_a_key"] {
            #expect(!text.contains(key), "the journal shows \(key.prefix(8))… in full")
        }
        #expect(text.contains("Bearer sk_test_****"), "the key's kind stays readable")
        #expect(text.contains(String(Keys.acmeTest.suffix(4))))
    }

    @Test func filtersByMethodPathStatusIntegrationAndSince() {
        let mock = Mock()
        _ = mock.call(.POST, "/customer", json: ["email": "a@example.com"])
        _ = mock.call(.GET, "/customer/a@example.com")
        _ = mock.call(.GET, "/customer", key: Keys.savannaTest)
        mock.clock.advance(bySeconds: 60)
        _ = mock.call(.GET, "/customer/missing@example.com")
        func count(_ query: String) -> Int { mock.call(.GET, "/_sandbox/requests?\(query)", key: nil).list.count }
        #expect(count("method=post") == 1)
        #expect(count("method=GET") == 3)
        #expect(count("path=/customer/*") == 2)
        #expect(count("path=/customer") == 2)
        #expect(count("status=404") == 1)
        #expect(count("integration=\(Fixtures.savanna.id)") == 1)
        #expect(count("integration=\(Keys.acmeLive)") == 3, "a secret key names its integration")
        #expect(count("since=2025-06-01T12:00:30.000Z") == 1)
        #expect(count("method=GET&status=200") == 2)
        #expect(count("limit=2") == 2)
        #expect(mock.call(.GET, "/_sandbox/requests?status=abc", key: nil).status == 400)
        #expect(mock.call(.GET, "/_sandbox/requests?since=yesterday", key: nil).status == 400)
        #expect(mock.call(.GET, "/_sandbox/requests?method=FROB", key: nil).status == 400)
        #expect(mock.call(.GET, "/_sandbox/requests?method=po%C5%BFt", key: nil).status == 400, "ſ is not s")
    }

    @Test func deleteClearsAndTheSizeBoundsIt() {
        let mock = Mock(sandbox: SandboxOptions(journalSize: 5))
        for index in 0..<12 { _ = mock.call(.GET, "/customer?page=\(index + 1)") }
        let kept = mock.call(.GET, "/_sandbox/requests", key: nil)
        #expect(kept.list.count == 5)
        #expect(kept.list.first?["query"] as? String == "page=12", "the newest are kept")
        #expect(kept.meta["capacity"] as? Int == 5)
        #expect(mock.call(.DELETE, "/_sandbox/requests", key: nil).message == SandboxMessages.requestsCleared)
        #expect(mock.call(.GET, "/_sandbox/requests", key: nil).list.isEmpty)
        _ = mock.call(.GET, "/customer")
        #expect(mock.call(.GET, "/_sandbox/requests", key: nil).list.count == 1)
    }

    @Test func sizeZeroTurnsItOff() {
        let mock = Mock(sandbox: SandboxOptions(journalSize: 0))
        _ = mock.call(.GET, "/customer")
        #expect(mock.call(.GET, "/_sandbox/requests", key: nil).status == 404)
    }

    @Test func concurrentRecordingKeepsEveryEntryOnce() async {
        let journal = RequestJournal(capacity: 4000)
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    for index in 0..<500 {
                        journal.record { sequence in
                            JournalEntry(
                                sequence: sequence, time: Timestamp(seconds: 0), method: .GET, path: "/\(worker)/\(index)", query: "",
                                headers: HTTPHeaders([("X-Test", "\(index)")]), body: [], status: 200, responseBody: [], durationMicroseconds: 1,
                                integration: nil)
                        }
                    }
                }
            }
        }
        let entries = journal.entries(matching: JournalFilter(), limit: 10_000)
        #expect(entries.count == 2000)
        #expect(Set(entries.map(\.path)).count == 2000)
        #expect(entries.allSatisfy { $0.headers.count == 1 && $0.headers[0].name == "X-Test" && $0.path.hasSuffix("/" + $0.headers[0].value) })
    }

    @Test func masking() {
        #expect(maskedCredential("Bearer sk_test_0123456789abcdef0123") == "Bearer sk_test_****************0123")
        #expect(maskedCredential("Bearer short") == "Bearer *****")
        #expect(maskedCredential("Basic dXNlcjpwYXNzd29yZA==") == "Basic ****************ZA==")
        #expect(String(decoding: maskingSecretKeys(Array("x=sk_live_abcdefghijkl&y=1".utf8)), as: UTF8.self) == "x=sk_live_********ijkl&y=1")
        func masked(_ text: String) -> String { String(decoding: maskingSecretKeys(Array(text.utf8)), as: UTF8.self) }
        #expect(masked("no keys here") == "no keys here")
        #expect(masked("sk_live_abcdefghijkl") == "sk_live_********ijkl")
        #expect(masked("ask_test_ sk_ sk_test_") == "ask_test_ sk_ sk_test_")
    }
}

/// The masking functions work in place on buffers; these give the tests values to compare.
private func maskedCredential(_ value: String) -> String {
    var bytes = Array(value.utf8)
    bytes.withUnsafeMutableBufferPointer { maskCredential($0) }
    return String(decoding: bytes, as: UTF8.self)
}

private func maskingSecretKeys(_ bytes: [UInt8]) -> [UInt8] {
    var bytes = bytes
    bytes.withUnsafeMutableBufferPointer { maskSecretKeys($0) }
    return bytes
}

@Suite struct JournalContainsTests {
    @Test func containsFindsTextInThePathBodyOrAnswer() {
        let mock = Mock()
        let code = mock.call(.POST, "/customer", json: ["email": "needle@example.com"]).data["customer_code"] as? String ?? ""
        _ = mock.call(.GET, "/customer/\(code)")
        _ = mock.call(.GET, "/customer?perPage=1")
        let byCode = mock.call(.GET, "/_sandbox/requests?contains=\(code)", key: nil).list
        #expect(byCode.count >= 2, "the create's answer and the fetch's path")
        let byEmail = mock.call(.GET, "/_sandbox/requests?contains=needle%40example.com", key: nil).list
        #expect(byEmail.allSatisfy { ($0["body"] as? String ?? "").contains("needle") || ($0["response_body"] as? String ?? "").contains("needle") || ($0["path"] as? String ?? "").contains("needle") })
        #expect(mock.call(.GET, "/_sandbox/requests?contains=nothing-like-this", key: nil).list.isEmpty)
    }

    /// The answer is kept as sent and masked when read: a search sees only the masked text, so
    /// it cannot tell whether a full key is in there.
    /// The request, too, is kept as it arrived and masked when read or searched.
    @Test func containsCannotFindASecretKeyInTheRequest() {
        let mock = Mock()
        _ = mock.call(.GET, "/customer/\(Keys.savannaLive)?q=\(Keys.acmeLive)")
        _ = mock.call(.POST, "/customer", json: ["email": "sender@example.com", "first_name": Keys.savannaTest])
        for key in [Keys.savannaLive, Keys.acmeLive, Keys.savannaTest, Keys.acmeTest] {
            #expect(mock.call(.GET, "/_sandbox/requests?contains=\(key)", key: nil).list.isEmpty)
            #expect(mock.call(.GET, "/_sandbox/requests?contains=\(key.dropLast(4))", key: nil).list.isEmpty)
        }
        let entries = mock.call(.GET, "/_sandbox/requests", key: nil).list
        #expect(entries.count == 2)
        let text = mock.call(.GET, "/_sandbox/requests", key: nil).text
        for key in [Keys.savannaLive, Keys.acmeLive, Keys.savannaTest, Keys.acmeTest] {
            #expect(!text.contains(key), "the journal shows \(key.prefix(8))… in full")
        }
        let masked = "sk_live_" + String(repeating: "*", count: Keys.savannaLive.count - 12) + Keys.savannaLive.suffix(4)
        #expect(mock.call(.GET, "/_sandbox/requests?contains=\(masked.replacingOccurrences(of: "*", with: "%2A"))", key: nil).list.count == 1)
        #expect(mock.call(.GET, "/_sandbox/requests?contains=sender%40example.com", key: nil).list.count == 1)
    }

    @Test func containsCannotFindASecretKeyInAnAnswer() {
        let mock = Mock()
        _ = mock.call(.POST, "/customer", json: ["email": "keyholder@example.com", "metadata": ["key": Keys.savannaLive]])
        _ = mock.call(.GET, "/customer/keyholder@example.com")
        #expect(mock.call(.GET, "/_sandbox/requests?contains=keyholder", key: nil).list.count == 2)
        #expect(mock.call(.GET, "/_sandbox/requests?contains=\(Keys.savannaLive)", key: nil).list.isEmpty)
        #expect(mock.call(.GET, "/_sandbox/requests?contains=\(Keys.savannaLive.dropLast(4))", key: nil).list.isEmpty)
        let masked = "sk_live_" + String(repeating: "*", count: Keys.savannaLive.count - 12) + Keys.savannaLive.suffix(4)
        #expect(mock.call(.GET, "/_sandbox/requests?contains=\(masked.replacingOccurrences(of: "*", with: "%2A"))", key: nil).list.count == 2)
    }
}
