import EventHTTP
import Foundation
import HTTPTestSupport
import PaystackAPI
@testable import PaystackCore
import PaystackMock
@testable import Sandbox
import Testing

/// Saved cards on demand: `POST /_sandbox/customers/{customer}/authorizations`.
@Suite struct CardTests {
    func mint(_ mock: Mock, _ customer: String, _ body: [String: Any] = [:]) -> Reply {
        mock.call(.POST, "/_sandbox/customers/\(customer)/authorizations", key: nil, json: body)
    }

    @Test func aMintedCardHasPaystacksShapeAndIsListedAndDeactivatedEitherWay() {
        let mock = Mock()
        let created = mock.call(.POST, "/customer", json: ["email": "cardholder@example.com"]).data
        let code = created["customer_code"] as! String
        #expect((mock.call(.GET, "/customer/\(code)").data["authorizations"] as? [Any])?.isEmpty == true)
        for path in ["/customer/authorization/deactivate", "/customer/deactivate_authorization"] {
            let minted = mint(mock, code, ["integration": Keys.acmeTest])
            #expect(minted.status == 200, "\(minted.text)")
            #expect(minted.message == SandboxMessages.authorizationAdded)
            let card = minted.data
            let authorizationCode = card["authorization_code"] as? String ?? ""
            #expect(authorizationCode.range(of: #"^AUTH_[a-z0-9]{10}$"#, options: .regularExpression) != nil, "\(authorizationCode)")
            #expect((card["signature"] as? String)?.range(of: #"^SIG_[A-Za-z0-9]{20}$"#, options: .regularExpression) != nil)
            #expect(card["bin"] as? String == "408408")
            #expect(card["last4"] as? String == "4081")
            #expect(card["exp_month"] as? String == "12")
            #expect(card["exp_year"] as? String == "2028", "three years after the clock's 2025")
            #expect(card["card_type"] as? String == "visa ", "Paystack's trailing space")
            #expect(card["channel"] as? String == "card")
            #expect(card["brand"] as? String == "visa")
            #expect(card["bank"] as? String == "TEST BANK")
            #expect(card["country_code"] as? String == "NG")
            #expect(card["reusable"] as? Bool == true)
            #expect(card["account_name"] is NSNull)
            #expect(minted.dataKeysInOrder == [
                "authorization_code", "bin", "last4", "exp_month", "exp_year", "channel", "card_type", "bank", "country_code",
                "brand", "reusable", "signature", "account_name",
            ])
            let fetched = mock.call(.GET, "/customer/\(code)").data["authorizations"] as? [[String: Any]] ?? []
            #expect(fetched.map { $0["authorization_code"] as? String } == [authorizationCode])
            #expect(mock.call(.POST, path, json: ["authorization_code": authorizationCode]).message == Messages.authorizationDeactivated)
            #expect((mock.call(.GET, "/customer/\(code)").data["authorizations"] as? [Any])?.isEmpty == true, "gone after \(path)")
            let again = mock.call(.POST, path, json: ["authorization_code": authorizationCode])
            #expect(again.status == 404)
            #expect(again.message == Messages.authorizationCodeNotFound)
        }
    }

    @Test func brandsChannelsAndFields() {
        let mock = Mock()
        let mastercard = mint(mock, Fixtures.code(1), ["brand": "mastercard", "exp_month": 3, "exp_year": "2031", "bank": "Access Bank", "reusable": false])
        #expect(mastercard.data["bin"] as? String == "519260")
        #expect(mastercard.data["card_type"] as? String == "mastercard ")
        #expect(mastercard.data["exp_month"] as? String == "03")
        #expect(mastercard.data["exp_year"] as? String == "2031")
        #expect(mastercard.data["bank"] as? String == "Access Bank")
        #expect(mastercard.data["reusable"] as? Bool == false)
        let verve = mint(mock, Fixtures.code(1), ["brand": "verve"])
        #expect(verve.data["bin"] as? String == "506066")
        #expect(verve.data["last4"] as? String == "6666")
        let mandate = mint(mock, "customer1@example.com", ["channel": "bank", "account_name": "Ada Obi"])
        #expect(mandate.data["channel"] as? String == "bank")
        #expect(mandate.data["bin"] is NSNull)
        #expect(mandate.data["signature"] is NSNull)
        #expect(mandate.data["account_name"] as? String == "Ada Obi")
        #expect(mint(mock, Fixtures.code(1), ["brand": "amex"]).message == SandboxMessages.brandInvalid)
        #expect(mint(mock, Fixtures.code(1), ["channel": "ussd"]).message == SandboxMessages.channelInvalid)
        #expect(mint(mock, Fixtures.code(1), ["exp_month": 13]).status == 400)
        #expect(mint(mock, "nobody@example.com").status == 404)
        let removed = mock.call(.DELETE, "/_sandbox/customers/\(Fixtures.code(1))/authorizations", key: nil)
        #expect(removed.message == SandboxMessages.authorizationsRemoved)
        #expect(removed.data["removed"] as? Int == 3)
        #expect((mock.call(.GET, "/customer/\(Fixtures.code(1))").data["authorizations"] as? [Any])?.isEmpty == true)
    }

    @Test func theSameCardOnTheSameCustomerHasTheSameSignature() {
        let mock = Mock()
        let first = mint(mock, Fixtures.code(1), ["brand": "visa", "exp_month": 5, "exp_year": 2030]).data
        let second = mint(mock, Fixtures.code(1), ["brand": "visa", "exp_month": 5, "exp_year": 2030]).data
        #expect(first["signature"] as? String == second["signature"] as? String)
        #expect(first["authorization_code"] as? String != second["authorization_code"] as? String)
        let other = mint(mock, Fixtures.code(2), ["brand": "visa", "exp_month": 5, "exp_year": 2030]).data
        #expect(other["signature"] as? String != first["signature"] as? String, "another customer's card is another card")
        let later = mint(mock, Fixtures.code(1), ["brand": "visa", "exp_month": 6, "exp_year": 2030]).data
        #expect(later["signature"] as? String != first["signature"] as? String)
    }

    @Test func anotherIntegrationsOrDomainsKeyCannotMintOnOrSeeIt() {
        let mock = Mock()
        #expect(mint(mock, Fixtures.code(1), ["integration": Keys.savannaTest]).status == 404, "another integration")
        #expect(mint(mock, Fixtures.code(1), ["integration": Keys.acmeLive]).status == 404, "the other domain")
        #expect(mint(mock, Fixtures.code(1), ["integration": Fixtures.acme.id, "domain": "live"]).status == 404)
        let minted = mint(mock, Fixtures.code(1), ["integration": Keys.acmeTest])
        let code = minted.data["authorization_code"] as? String ?? ""
        #expect(mock.call(.GET, "/customer/\(Fixtures.code(1))", key: Keys.savannaTest).status == 404)
        #expect(mock.call(.POST, "/customer/authorization/deactivate", key: Keys.savannaTest, json: ["authorization_code": code]).status == 404)
        #expect(mock.call(.POST, "/customer/authorization/deactivate", key: Keys.acmeLive, json: ["authorization_code": code]).status == 404)
        #expect(mock.call(.DELETE, "/_sandbox/customers/\(Fixtures.code(1))/authorizations?integration=\(Keys.savannaTest)", key: nil).status == 404)
    }

    @Test func resetAndStateExportCoverMintedCards() {
        let mock = Mock()
        let code = mint(mock, Fixtures.code(1)).data["authorization_code"] as? String ?? ""
        let state = mock.call(.GET, "/_sandbox/state", key: nil).text
        #expect(state.contains(code))
        #expect(mock.call(.POST, "/_sandbox/reset", key: nil).status == 200)
        #expect(!mock.call(.GET, "/_sandbox/state", key: nil).text.contains(code), "a reset removes it")
        #expect(mock.call(.PUT, "/_sandbox/state", key: nil, rawBody: state, contentType: "application/json").status == 200)
        #expect(mock.call(.POST, "/customer/authorization/deactivate", json: ["authorization_code": code]).status == 200, "an imported state has it")
    }

    @Test func theJournalHasTheMint() {
        let mock = Mock()
        _ = mint(mock, Fixtures.code(1))
        let journal = mock.call(.GET, "/_sandbox/requests?path=/_sandbox/customers/*", key: nil)
        #expect(journal.list.count == 1)
        #expect(journal.list.first?["status"] as? Int == 200)
    }
}

/// Minted cards with the real binary: kept by the state file, the same bytes in deterministic runs.
@Suite(.serialized) struct CardProcessTests {
    let folder = TemporaryFolder("paystack-mock-cards")

    @Test func aRestartWithAStateFileKeepsIt() throws {
        let arguments = ["--port", "0", "--log-level", "error", "--state-file", folder.file("state.json")]
        let mock = try MockProcess(arguments: arguments).start()
        let code = try httpRequest(port: mock.port, "GET", "/customer?perPage=1", headers: ["Authorization": "Bearer \(Keys.acmeTest)"]).list.first?["customer_code"] as? String ?? ""
        let minted = try httpRequest(port: mock.port, "POST", "/_sandbox/customers/\(code)/authorizations", body: jsonBody(["brand": "verve"]))
        #expect(minted.status == 200)
        mock.signal(SIGKILL)
        _ = mock.waitForExit()
        let again = try MockProcess(arguments: arguments).start()
        defer { again.stop() }
        let fetched = try httpRequest(port: again.port, "GET", "/customer/\(code)", headers: ["Authorization": "Bearer \(Keys.acmeTest)"])
        let cards = fetched.data["authorizations"] as? [[String: Any]] ?? []
        #expect(cards.contains { $0["authorization_code"] as? String == minted.data["authorization_code"] as? String }, "acknowledged, then kill -9: still there")
    }

    @Test func twoDeterministicRunsGiveIdenticalBytes() throws {
        func run() throws -> [String] {
            let mock = try MockProcess(arguments: ["--port", "0", "--log-level", "error", "--deterministic"]).start()
            defer { mock.stop() }
            let headers = ["Authorization": "Bearer \(Keys.acmeTest)", "Content-Type": "application/json"]
            let created = try httpRequest(port: mock.port, "POST", "/customer", headers: headers, body: jsonBody(["email": "det@example.com"]))
            let code = created.data["customer_code"] as? String ?? ""
            let minted = try httpRequest(port: mock.port, "POST", "/_sandbox/customers/\(code)/authorizations", body: jsonBody(["brand": "mastercard"]))
            let fetched = try httpRequest(port: mock.port, "GET", "/customer/\(code)", headers: headers)
            return [created.text, minted.text, fetched.text]
        }
        let first = try run(), second = try run()
        #expect(first == second)
    }
}
