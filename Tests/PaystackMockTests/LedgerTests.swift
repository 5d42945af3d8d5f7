import EventHTTP
import JSON
@testable import PaystackAPI
@testable import PaystackCore
import PaystackMock
import Platform
@testable import Sandbox
import Testing
@testable import Webhooks

/// The ledger's own indexes: lookups by code and email without scanning, through growth.
@Suite struct LedgerTests {
    static func customer(_ id: Int, email: String? = nil) -> Customer {
        Customer(
            id: id, integration: 1, domain: .test, customerCode: "CUS_" + String(id, radix: 36).leftPadded(to: 15),
            email: email ?? "person\(id)@example.com", createdAt: Timestamp(seconds: Int64(id)),
            updatedAt: Timestamp(seconds: Int64(id)))
    }

    @Test func findsEveryCustomerByCodeAndEmailThroughGrowth() {
        var ledger = Ledger()
        for id in 1...5_000 { ledger.add(Self.customer(id)) }
        for id in [1, 2, 17, 999, 4_096, 5_000] {
            #expect(ledger.index(ofCode: Self.customer(id).customerCode) == id - 1)
            #expect(ledger.index(ofEmail: "person\(id)@example.com") == id - 1)
        }
        #expect(ledger.index(ofCode: Self.customer(5_001).customerCode) == nil)
        #expect(ledger.index(ofEmail: "person5001@example.com") == nil)
    }

    @Test func emailsMatchIgnoringASCIICaseOnly() {
        var ledger = Ledger()
        ledger.add(Self.customer(1, email: "Ada.Lovelace@Example.com"))
        #expect(ledger.index(ofEmail: "ada.lovelace@example.com") == 0)
        #expect(ledger.index(ofEmail: "ADA.LOVELACE@EXAMPLE.COM") == 0)
        #expect(ledger.index(ofEmail: "ada.lovelace@example.co") == nil)
        #expect(ledger.index(ofEmail: "ada.lovelacé@example.com") == nil)
    }

    @Test func appendRefusesATakenCodeOrEmailAndChangesNothing() {
        var ledger = Ledger()
        ledger.add(Self.customer(1))
        var sameCode = Self.customer(2)
        sameCode.customerCode = Self.customer(1).customerCode
        #expect(ledger.appendIfNew(sameCode) == .duplicateCode)
        #expect(ledger.appendIfNew(Self.customer(3, email: "PERSON1@example.com")) == .duplicateEmail)
        #expect(ledger.count == 1)
        #expect(ledger.index(ofEmail: "person2@example.com") == nil)
        #expect(ledger.appendIfNew(Self.customer(4)) == .appended)
        #expect(ledger.index(ofCode: Self.customer(4).customerCode) == 1)
    }

    @Test func placementNamesTheCustomerWhoHasTheEmail() {
        var ledger = Ledger()
        for id in 1...3 { ledger.add(Self.customer(id)) }
        guard case .emailTaken(let index) = ledger.placement(code: "CUS_unused000000000", email: "Person2@Example.com") else {
            Issue.record("an existing email must be reported with its customer")
            return
        }
        #expect(index == 1)
        guard case .codeTaken = ledger.placement(code: Self.customer(3).customerCode, email: "new@example.com") else {
            Issue.record("an existing code must be reported")
            return
        }
    }

    /// Keys whose hashes agree in every bit the index keeps still resolve to their own positions:
    /// the index confirms each candidate with the key itself.
    @Test func positionIndexConfirmsCandidatesWhenHashesCollide() {
        var index = PositionIndex()
        let keys = (0..<100).map { "key\($0)" }
        for position in keys.indices { index.insert(hash: 42, position: position) }
        for (position, key) in keys.enumerated() {
            #expect(index.position(hash: 42, where: { keys[$0] == key }) == position)
        }
        #expect(index.position(hash: 42, where: { _ in false }) == nil)
        #expect(index.position(hash: 43, where: { _ in true }) == nil)
        #expect(index.count == 100)
    }

    /// Many keys spread over the shards, through several regrowths of each, all still found; and a
    /// copy taken midway (an export) keeps its own view while the original grows on.
    @Test func positionIndexGrowsShardByShard() {
        var index = PositionIndex()
        let keys = (0..<50_000).map { "CUS_\($0)" }
        var copy = PositionIndex()
        for position in keys.indices {
            index.insert(hash: PositionIndex.hash(code: keys[position]), position: position)
            if position == 20_000 { copy = index }
        }
        for position in stride(from: 0, to: keys.count, by: 7) {
            let key = keys[position]
            #expect(index.position(hash: PositionIndex.hash(code: key), where: { keys[$0] == key }) == position)
        }
        #expect(index.count == 50_000)
        #expect(copy.count == 20_001)
        #expect(copy.position(hash: PositionIndex.hash(code: keys[30_000]), where: { keys[$0] == keys[30_000] }) == nil)
        #expect(copy.position(hash: PositionIndex.hash(code: keys[20_000]), where: { keys[$0] == keys[20_000] }) == 20_000)
        var reserved = PositionIndex()
        reserved.reserveCapacity(10_000)
        reserved.insert(hash: PositionIndex.hash(code: "CUS_x"), position: 0)
        #expect(reserved.position(hash: PositionIndex.hash(code: "CUS_x"), where: { $0 == 0 }) == 0)
    }

    /// Elements across chunk boundaries read and write in place; a copy shares chunks until written.
    @Test func chunkedArrayKeepsOrderAcrossChunks() {
        var array = ChunkedArray<Int>()
        #expect(array.isEmpty && array.last == nil)
        for value in 0..<10_000 { array.append(value) }
        #expect(array.count == 10_000)
        #expect(Array(array) == Array(0..<10_000))
        #expect(array[4095] == 4095 && array[4096] == 4096 && array.last == 9999)
        let copy = array
        array[4096] = -1
        #expect(array[4096] == -1 && copy[4096] == 4096)
        #expect(array.reversed().first == 9999)
        var rebuilt = ChunkedArray<Int>()
        for value in copy { rebuilt.append(value) }
        #expect(copy == rebuilt)
        #expect(array != copy)
    }

    @Test func emailHashIgnoresASCIICase() {
        #expect(PositionIndex.hash(email: "A.B@Example.COM") == PositionIndex.hash(email: "a.b@example.com"))
        #expect(PositionIndex.hash(code: "CUS_abc") != PositionIndex.hash(code: "CUS_abd"))
        // Only ASCII letters are folded: `ſ`/`S`, `K`/`k` (Kelvin sign) and `É`/`é` stay apart.
        #expect(PositionIndex.hash(email: "ſ@x.co") != PositionIndex.hash(email: "s@x.co"))
        #expect(PositionIndex.hash(email: "\u{212A}@x.co") != PositionIndex.hash(email: "k@x.co"))
        #expect(PositionIndex.hash(email: "É@x.co") != PositionIndex.hash(email: "é@x.co"))
    }

    /// The word lowering against the byte rule: every byte value at every position of a word,
    /// among neighbours at the edges of the letter ranges and of the high bit.
    @Test func wordLoweringAgreesWithTheByteRule() {
        var wrong: [String] = []
        for filler: UInt8 in [0x40, 0x41, 0x5A, 0x5B, 0x7F, 0x80, 0xC1, 0xDA, 0xFF, 0x00] {
            for position in 0..<8 {
                for byte in UInt8.min...UInt8.max {
                    var bytes = [UInt8](repeating: filler, count: 8)
                    bytes[position] = byte
                    let lowered = bytes.withUnsafeBufferPointer { ByteWord.asciiLowered(ByteWord.load($0.baseAddress!)) }
                    let expected = bytes.enumerated().reduce(UInt64(0)) {
                        $0 | UInt64(asciiLowered($1.element)) << (8 * $1.offset)
                    }
                    if lowered != expected { wrong.append("\(byte) at \(position) among \(filler)") }
                }
            }
        }
        #expect(wrong.count == 0, "\(wrong.prefix(10))")
        let tail: [UInt8] = [1, 2, 3, 0xFF, 5]
        #expect(tail.withUnsafeBufferPointer { ByteWord.load($0.baseAddress!, count: 5) } == 0x05_FF_03_02_01)
        #expect(tail.withUnsafeBufferPointer { ByteWord.load($0.baseAddress!, count: 0) } == 0)
    }

    /// The index's hash: equal for emails that differ only in ASCII case, at every length around
    /// the word size and with bytes of every kind; apart for keys that differ in one byte or only in
    /// length (a trailing zero byte); and spread evenly over the shards and the slot tags.
    @Test func indexHashesFoldCaseAndSpreadKeys() {
        var generator = SystemRandomNumberGenerator()
        var mismatched: [String] = []
        for length in 0...40 {
            for _ in 0..<50 {
                let bytes = (0..<length).map { _ in UInt8.random(in: 0...0x7F, using: &generator) }
                let lower = String(decoding: bytes.map(asciiLowered), as: UTF8.self)
                let raised = bytes.map { Bool.random(using: &generator) && $0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0 }
                let mixed = String(decoding: raised, as: UTF8.self)
                if PositionIndex.hash(email: lower) != PositionIndex.hash(email: mixed) { mismatched.append(mixed) }
            }
        }
        #expect(mismatched.count == 0, "\(mismatched.prefix(5))")
        for length in 0...24 {
            let key = String(repeating: "a", count: length)
            #expect(PositionIndex.hash(code: key) != PositionIndex.hash(code: key + "\u{0}"))
            #expect(PositionIndex.hash(code: key + "b") != PositionIndex.hash(code: key + "c"))
            #expect(PositionIndex.hash(code: "b" + key) != PositionIndex.hash(code: "c" + key))
        }
        let random = RandomSource(seed: 7)
        let codes = (0..<64_000).map { _ in random.string(prefix: "CUS_", count: 15, from: "abcdefghijklmnopqrstuvwxyz0123456789") }
        let hashes = codes.map { UInt64(bitPattern: Int64(PositionIndex.hash(code: $0))) }
        var shards = [Int](repeating: 0, count: 64)
        for hash in hashes { shards[Int(hash >> 32) & 63] += 1 }
        #expect(shards.min()! > 800 && shards.max()! < 1_200, "\(shards)")
        // 64,000 tags in 2^32: about half a collision expected.
        #expect(Set(hashes.map { UInt32(truncatingIfNeeded: $0) }).count >= 63_990)
        // Sequential emails, as a bench or a seed makes them.
        let emails = (0..<64_000).map { UInt64(bitPattern: Int64(PositionIndex.hash(email: "bench-\($0)@example.com"))) }
        shards = [Int](repeating: 0, count: 64)
        for hash in emails { shards[Int(hash >> 32) & 63] += 1 }
        #expect(shards.min()! > 800 && shards.max()! < 1_200, "\(shards)")
        #expect(Set(emails.map { UInt32(truncatingIfNeeded: $0) }).count >= 63_990)
    }
}

@Suite struct BodyTypeTests {
    @Test(arguments: ["application/json", "Application/JSON; charset=utf-8", "application/vnd.api+json", "text/json"])
    func jsonTypes(_ contentType: String) {
        #expect(BodyType(contentType: contentType) == .json)
    }

    @Test(arguments: ["application/x-www-form-urlencoded", "APPLICATION/X-WWW-FORM-URLENCODED; charset=UTF-8"])
    func formTypes(_ contentType: String) {
        #expect(BodyType(contentType: contentType) == .form)
    }

    @Test(arguments: [nil, "", "text/plain", "multipart/form-data", "application/jso", " application/x-www-form-urlencoded"] as [String?])
    func otherTypes(_ contentType: String?) {
        #expect(BodyType(contentType: contentType) == .other)
    }
}

private extension String {
    func leftPadded(to length: Int) -> String {
        String(repeating: "0", count: Swift.max(0, length - count)) + self
    }
}

extension Ledger {
    /// Appends a customer whose code and email are new here.
    mutating func add(_ customer: Customer) {
        let outcome = appendIfNew(customer)
        precondition(outcome == .appended, "\(customer.customerCode) could not be appended: \(outcome)")
    }
}

/// A fetch answer is rendered outside the lock and cached after; a change in between must not leave
/// the older bytes cached, even when the two customers compare equal (Swift's String equality is
/// canonical: "é" precomposed equals "e" + U+0301, which renders other bytes).
@Suite struct FetchAnswerCacheTests {
    @Test func aChangeWhileTheAnswerRendersIsNotHiddenByTheCache() throws {
        let mock = Mock()
        let code = try #require(mock.call(.POST, "/customer", json: ["email": "race@example.com", "first_name": "Ren\u{E9}e"]).data["customer_code"] as? String)
        let account = try #require(mock.application.store.account(forSecretKey: Keys.acmeTest))
        let decomposed = "Rene\u{301}e"
        #expect(decomposed == "Ren\u{E9}e", "the premise: the two spellings compare equal")
        var changedDuringRender = false
        let first = try account.renderedCustomer(.code(code)) { customer in
            if !changedDuringRender {
                changedDuringRender = true
                // The clock is frozen: updatedAt stays, so only the name's bytes differ.
                _ = try? account.updateCustomer(.code(code), CustomerChanges(firstName: decomposed))
            }
            return Array((customer.firstName ?? "").utf8)
        }
        #expect(first == Array("Ren\u{E9}e".utf8))
        let second = try account.renderedCustomer(.code(code)) { Array(($0.firstName ?? "").utf8) }
        #expect(second == Array(decomposed.utf8), "the answer rendered before the change was cached")
        let third = try account.renderedCustomer(.code(code)) { _ in [] }
        #expect(third == second, "an answer rendered with no change in between is cached")
        // The bytes above were this test's; a change drops them, and the route caches its own.
        #expect(mock.call(.PUT, "/customer/\(code)", json: ["first_name": decomposed]).status == 200)
        #expect(mock.call(.GET, "/customer/\(code)").status == 200)
        let fetched = mock.call(.GET, "/customer/\(code)")
        #expect(Array((fetched.data["first_name"] as? String ?? "").utf8) == Array(decomposed.utf8))
    }

    @Test func everyLedgerAndEveryReplaceHasANewRevision() {
        var ledger = Ledger()
        let other = Ledger()
        #expect(ledger.revision != other.revision)
        ledger.add(LedgerTests.customer(1))
        let afterAppend = ledger.revision
        var changed = LedgerTests.customer(1)
        changed.firstName = "Changed"
        ledger.replace(at: 0, with: changed)
        #expect(ledger.revision != afterAppend && ledger.revision != other.revision)
    }
}
