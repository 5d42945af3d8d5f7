import EventHTTP
import JSON
@testable import PaystackAPI
@testable import PaystackCore
import PaystackMock
import Platform
@testable import Sandbox
import Testing
@testable import Webhooks

@Suite struct SeedDataTests {
    @Test func bundledSeedIsRichEnoughForADemo() throws {
        let seed = try SeedLoader.load(directory: Fixtures.bundledSeed)
        #expect(seed.integrations.count >= 2)
        #expect(seed.customers.count >= 60)
        #expect(seed.customers.reduce(0) { $0 + $1.authorizations.count } >= 10)
        #expect(seed.customers.contains { $0.firstName == nil } && seed.customers.contains { $0.firstName != nil })
        #expect(seed.customers.contains { $0.metadata != nil } && seed.customers.contains { $0.phone != nil })
        #expect(seed.integrations.contains { $0.forbidsAllowRiskAction })
        let months = Set(seed.customers.map { $0.createdAt.iso8601.prefix(7) })
        #expect(months.count >= 4, "createdAt spread over months")
    }

    private func decode(customers: String, authorizations: String? = nil) throws(SeedError) -> SeedData {
        let integrations = #"[{"id": 1, "secret_keys": {"test": "sk_test_x1"}}]"#
        return try SeedLoader.decode(
            integrations: ("integrations.json", .bytes(Array(integrations.utf8))),
            customers: ("customers.json", .bytes(Array(customers.utf8))),
            authorizations: authorizations.map { ("authorizations.json", .bytes(Array($0.utf8))) })
    }

    @Test func problemsNameFileRecordAndField() {
        let cases: [(String, String)] = [
            (#"[{"integration": 1, "customer_code": "CUS_aaaaaaaaaaaaaaa", "createdAt": "2024-01-01"}]"#, #"customers.json: record 0 (CUS_aaaaaaaaaaaaaaa): field "email": is required"#),
            (#"[{"integration": 2, "customer_code": "CUS_aaaaaaaaaaaaaaa", "email": "a@b.co", "createdAt": "2024-01-01"}]"#, #"field "integration": no integration has the id 2"#),
            (#"[{"integration": 1, "customer_code": "CUS_A", "email": "a@b.co", "createdAt": "2024-01-01"}]"#, #"field "customer_code""#),
            (#"[{"integration": 1, "customer_code": "CUS_aaaaaaaaaaaaaaa", "email": "a@b.co", "createdAt": "soon"}]"#, #"field "createdAt""#),
            (#"[{"integration": 1, "customer_code": "CUS_aaaaaaaaaaaaaaa", "email": "a@b.co", "createdAt": "2024-01-01", "metadata": "x"}]"#, #"field "metadata""#),
            (#"[{"integration": 1, "customer_code": "CUS_aaaaaaaaaaaaaaa", "email": "a@b.co", "createdAt": "2024-01-01"}"#, "customers.json: not valid JSON"),
        ]
        for (document, expected) in cases {
            do {
                _ = try decode(customers: document)
                Issue.record("accepted: \(document)")
            } catch {
                #expect(error.description.contains(expected), "\(error.description) should contain \(expected)")
            }
        }
    }

    /// Keys are compared byte for byte: one that only looks like it starts with sk_test_ (a
    /// combining accent joins the underscore) is refused, as is any key a header could not carry.
    @Test func keysArePrintableASCIIWithTheirPrefixByteForByte() {
        for key in ["sk_test_\u{301}abc", "sk_test_ab c", "sk_test_é", "sk_live_abc"] {
            let integrations = #"[{"id": 1, "secret_keys": {"test": "\#(key)"}}]"#
            do {
                _ = try SeedLoader.decode(
                    integrations: ("integrations.json", .bytes(Array(integrations.utf8))),
                    customers: ("customers.json", .bytes(Array("[]".utf8))), authorizations: nil)
                Issue.record("accepted \(key.debugDescription)")
            } catch {
                #expect(error.description.contains("secret_keys.test"), "\(error.description)")
            }
        }
        var seed = try? SeedData(integrations: [], customers: [])
        #expect(throws: SeedError.self) { try seed?.addIntegrations(forSecretKeys: ["sk_test_\u{301}abcdef"]) }
    }

    @Test func idsAreGivenInCreationOrderWhenAbsent() throws {
        let seed = try decode(customers: #"""
            [{"integration": 1, "customer_code": "CUS_bbbbbbbbbbbbbbb", "email": "late@b.co", "createdAt": "2024-02-01"},
             {"integration": 1, "customer_code": "CUS_aaaaaaaaaaaaaaa", "email": "early@b.co", "createdAt": "2024-01-01"}]
            """#)
        #expect(seed.customers.map(\.email) == ["early@b.co", "late@b.co"])
        #expect(seed.customers.map(\.id) == [1, 2])
    }

    @Test func authorizationsAttachToTheirCustomer() throws {
        let seed = try decode(
            customers: #"[{"integration": 1, "customer_code": "CUS_aaaaaaaaaaaaaaa", "email": "a@b.co", "createdAt": "2024-01-01"}]"#,
            authorizations: #"[{"customer": "CUS_aaaaaaaaaaaaaaa", "authorization_code": "AUTH_abc1234567", "bin": "408408", "last4": "4081", "exp_month": "12", "exp_year": "2030", "card_type": "visa ", "bank": "TEST BANK", "brand": "visa", "signature": "SIG_x"}]"#)
        #expect(seed.customers.first?.authorizations.map(\.authorizationCode) == ["AUTH_abc1234567"])
        #expect(throws: SeedError.self) {
            _ = try decode(
                customers: #"[{"integration": 1, "customer_code": "CUS_aaaaaaaaaaaaaaa", "email": "a@b.co", "createdAt": "2024-01-01"}]"#,
                authorizations: #"[{"customer": "CUS_zzzzzzzzzzzzzzz", "authorization_code": "AUTH_abc1234567", "bin": "1", "last4": "1", "exp_month": "1", "exp_year": "1", "card_type": "v", "bank": "b", "brand": "v", "signature": "s"}]"#)
        }
    }
}

@Suite struct TimeAndCursorTests {
    @Test func timestampsRoundTrip() {
        let parsed = Timestamp.parse("2022-08-15T13:46:39.583Z")
        #expect(parsed?.timestamp.iso8601 == "2022-08-15T13:46:39.000Z")
        #expect(Timestamp.parse("2016-09-21")?.isDateOnly == true)
        #expect(Timestamp.parse("2016-02-30") == nil)
        #expect(Timestamp.parse("2024-01-01T01:00:00+01:00")?.timestamp.iso8601 == "2024-01-01T00:00:00.000Z")
        #expect(Timestamp(seconds: 0).iso8601 == "1970-01-01T00:00:00.000Z")
    }

    @Test func cursorsAreBase64OfCustomerID() {
        #expect(Base64.encode("customer:90225809") == "Y3VzdG9tZXI6OTAyMjU4MDk=")
        #expect(Base64.decode("Y3VzdG9tZXI6OTAyMjU4MDk=") == "customer:90225809")
        #expect(Base64.decode("%%") == nil)
    }
}
