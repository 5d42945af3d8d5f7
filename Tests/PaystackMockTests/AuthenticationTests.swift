import EventHTTP
import JSON
@testable import PaystackAPI
@testable import PaystackCore
import PaystackMock
import Platform
@testable import Sandbox
import Testing
@testable import Webhooks

@Suite struct AuthenticationTests {
    let mock = Mock()

    @Test(arguments: ["/customer", "/customer/CUS_000000000000000", "/customer/set_risk_action", "/customer/authorization/deactivate",
                      "/customer/deactivate_authorization", "/customer/CUS_000000000000000/identification"])
    func everyCustomerRouteNeedsAKey(path: String) {
        let method: HTTPMethodName = path == "/customer" || path.hasSuffix("000") ? .get : .post
        let missing = mock.call(method.value, path, key: nil)
        #expect(missing.status == 401)
        #expect(missing.message == Messages.noAuthorizationHeader)
        #expect(missing.json.keys.sorted() == ["message", "status"], "401s use the short envelope")
        let malformed = mock.call(method.value, path, authorization: "Token \(Keys.acmeTest)")
        #expect(malformed.status == 401)
        #expect(malformed.message == Messages.badAuthorizationFormat)
        let unknown = mock.call(method.value, path, key: "sk_test_" + String(repeating: "0", count: 40))
        #expect(unknown.status == 401)
        #expect(unknown.message == Messages.invalidKey)
    }

    @Test func publicKeyIsInvalid() {
        let reply = mock.call(.GET, "/customer", key: Keys.acmePublic)
        #expect(reply.status == 401)
        #expect(reply.message == Messages.invalidKey)
    }

    @Test func bearerWithoutKeyIsAFormatError() {
        #expect(mock.call(.GET, "/customer", authorization: "Bearer").message == Messages.badAuthorizationFormat)
        #expect(mock.call(.GET, "/customer", authorization: "Bearer a b").message == Messages.badAuthorizationFormat)
        #expect(mock.call(.GET, "/customer", authorization: "   ").message == Messages.noAuthorizationHeader)
    }

    @Test func constantTimeEqualityIsEquality() {
        func equal(_ a: String, _ b: String) -> Bool {
            constantTimeEquals(a, b)
        }
        #expect(equal("abc", "abc"))
        #expect(!equal("abc", "abd"))
        #expect(!equal("abc", "abcd"))
        #expect(!equal("", "a"))
        #expect(bearerToken("Bearer sk_test_x") == "sk_test_x")
        #expect(bearerToken("  bearer\tsk_test_x  ") == "sk_test_x")
        #expect(bearerToken("Bearersk_test_x") == nil)
        #expect(bearerToken("Bearer a b") == nil)
        #expect(bearerToken("Basic abc") == nil)
    }

    /// The word-at-a-time blank scan against the byte rule: every byte value at every position of
    /// keys of lengths around the word size, among neighbours that sit near the trick's borrow
    /// edges (0x80, 0xFF, 0x08, 0x1F, 0x21); and a blank late in a long key.
    @Test func blankScanAgreesWithTheByteRule() {
        var wrong: [String] = []
        for filler: UInt8 in [UInt8(ascii: "a"), 0x80, 0xFF, 0x08, 0x1F, 0x21] {
            for length in 1...19 {
                for position in 0..<length {
                    for byte in UInt8.min...UInt8.max {
                        var bytes = [UInt8](repeating: filler, count: length)
                        bytes[position] = byte
                        let found = bytes.withUnsafeBufferPointer(containsBlank)
                        if found != (byte == 0x20 || byte == 0x09) { wrong.append("\(byte) at \(position) of \(length) among \(filler)") }
                    }
                }
            }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(10))")
        #expect(bearerToken("Bearer sk_test_" + String(repeating: "a1", count: 20) + "\tx") == nil)
        #expect(bearerToken("Bearer sk_test_" + String(repeating: "a1", count: 20) + " ") != nil)
    }

    /// The account found for a key is remembered per thread: a new state that moves the key to
    /// another integration, or drops it, is seen on the very next request of the same thread, and
    /// two stores that know the same key each answer with their own books.
    @Test func aRememberedKeyFollowsANewStateAndItsStore() throws {
        let store = CustomerStore(seed: Fixtures.seed())
        let other = CustomerStore(seed: Fixtures.seed())
        func integration(_ key: String, in store: CustomerStore) -> Int? { store.account(forSecretKey: key)?.integration.id }
        #expect(integration(Keys.acmeTest, in: store) == Fixtures.acme.id)
        #expect(integration(Keys.acmeTest, in: store) == Fixtures.acme.id)
        #expect(store.account(forSecretKey: Keys.acmeTest)?.store === store)
        #expect(other.account(forSecretKey: Keys.acmeTest)?.store === other)
        #expect(store.account(forSecretKey: Keys.acmeTest)?.books === store.books(of: Fixtures.acme.id))
        #expect(integration(Keys.acmeTest + "0", in: store) == nil && integration(String(Keys.acmeTest.dropLast()), in: store) == nil)

        // The key now opens another integration.
        let moved = Integration(id: 777, businessName: "Moved", secretKeys: [.test: Keys.acmeTest])
        try store.replaceAll(with: SeedData(integrations: [moved], customers: []), restartingIDs: false)
        #expect(integration(Keys.acmeTest, in: store) == 777)
        // And then none.
        try store.replaceAll(with: SeedData(integrations: [Fixtures.savanna], customers: []), restartingIDs: false)
        #expect(integration(Keys.acmeTest, in: store) == nil)
        #expect(integration(Keys.savannaTest, in: store) == Fixtures.savanna.id)
        #expect(integration(Keys.acmeTest, in: other) == Fixtures.acme.id)
    }

    /// What a thread remembers does not keep a store (and its state file's lock) alive.
    @Test func aRememberedKeyDoesNotKeepItsStoreAlive() {
        weak var dropped: CustomerStore?
        do {
            let store = CustomerStore(seed: Fixtures.seed())
            #expect(store.account(forSecretKey: Keys.acmeTest) != nil)
            dropped = store
        }
        #expect(dropped == nil)
        // A new store (perhaps at the old one's address) is not taken for the old one.
        let next = CustomerStore(seed: try! SeedData(integrations: [], customers: []))
        #expect(next.account(forSecretKey: Keys.acmeTest) == nil)
    }
}

enum HTTPMethodName {
    case get, post
    var value: EventHTTP.HTTPMethod { self == .get ? .GET : .POST }
}

