import EventHTTP
import Foundation
import JSON
@testable import PaystackAPI
@testable import PaystackCore
import PaystackMock
import Platform
@testable import Sandbox
import Testing
@testable import Webhooks

@Suite struct FetchCustomerTests {
    let mock = Mock()

    @Test func fetchByCodeEmailAndIDWithTheLargestShape() {
        for reference in [Fixtures.code(0), "customer0@example.com", "CUSTOMER0@EXAMPLE.COM", "1000"] {
            let reply = mock.call(.GET, "/customer/\(reference)")
            #expect(reply.status == 200, "fetch by \(reference)")
            #expect(reply.message == Messages.customerRetrieved)
            #expect(reply.data["id"] as? Int == 1000)
        }
        let reply = mock.call(.GET, "/customer/\(Fixtures.code(0))/")
        #expect(reply.dataKeysInOrder == [
            "transactions", "subscriptions", "authorizations", "first_name", "last_name", "email", "phone", "metadata",
            "domain", "customer_code", "risk_action", "id", "integration", "createdAt", "updatedAt", "created_at",
            "updated_at", "total_transactions", "total_transaction_value", "dedicated_account", "dedicated_accounts",
            "identified", "identifications",
        ])
        #expect(reply.data["created_at"] as? String == reply.data["createdAt"] as? String)
        let authorizations = reply.data["authorizations"] as? [[String: Any]] ?? []
        #expect(authorizations.count == 2)
        #expect(authorizations.first?["card_type"] as? String == "visa ", "Paystack's trailing space")
        #expect(authorizations.first?["account_name"] is NSNull)
    }

    @Test func unknownCustomerIs404NotFound() {
        let reply = mock.call(.GET, "/customer/CUS_doesnotexist000")
        #expect(reply.status == 404)
        #expect(reply.message == Messages.customerNotFound)
        #expect(reply.json["code"] as? String == "not_found")
        #expect(reply.json["type"] as? String == "validation_error")
    }
}

@Suite struct IsolationTests {
    let mock = Mock()

    @Test func anotherIntegrationSeesNothing() {
        let reply = mock.call(.GET, "/customer/\(Fixtures.code(0))", key: Keys.savannaTest)
        #expect(reply.status == 404)
        #expect(reply.message == Messages.customerNotFound)
        let byEmail = mock.call(.GET, "/customer/customer0@example.com", key: Keys.savannaTest)
        #expect(byEmail.message == Messages.customerNotFound)
        let list = mock.call(.GET, "/customer", key: Keys.savannaTest)
        #expect(list.list.allSatisfy { $0["integration"] as? Int == Fixtures.savanna.id })
        #expect(list.meta["total"] as? Int == 1)
    }

    @Test func otherDomainOfTheSameIntegrationSaysSo() {
        let code = mock.call(.GET, "/customer/\(Fixtures.code(0))", key: Keys.acmeLive)
        #expect(code.status == 404)
        #expect(code.message == "Customer code is invalid for your live domain.")
        let email = mock.call(.GET, "/customer/customer0@example.com", key: Keys.acmeLive)
        #expect(email.message == "Customer email is invalid for your live domain.")
        let back = mock.call(.GET, "/customer/CUS_live0000000000a", key: Keys.acmeTest)
        #expect(back.message == "Customer code is invalid for your test domain.")
        let list = mock.call(.GET, "/customer", key: Keys.acmeLive)
        #expect(list.list.map { $0["domain"] as? String } == ["live"])
    }

    @Test func sameEmailInEachDomainMakesTwoCustomers() {
        let test = mock.call(.POST, "/customer", json: ["email": "both@example.com"]).data
        let live = mock.call(.POST, "/customer", key: Keys.acmeLive, json: ["email": "both@example.com"]).data
        #expect(test["id"] as? Int != live["id"] as? Int)
        #expect(live["domain"] as? String == "live")
    }
}

@Suite struct UpdateCustomerTests {
    let mock = Mock()

    @Test func updateReplacesGivenFieldsAndAdvancesUpdatedAt() {
        let created = mock.call(.POST, "/customer", json: ["email": "up@example.com", "first_name": "A", "metadata": ["x": 1, "y": 2]]).data
        mock.clock.advance(bySeconds: 3600)
        let code = created["customer_code"] as! String
        let reply = mock.call(.PUT, "/customer/\(code)/", json: ["last_name": "B", "metadata": ["z": 3]])
        #expect(reply.status == 200)
        #expect(reply.message == Messages.customerUpdated)
        #expect(reply.data["first_name"] as? String == "A", "absent fields are kept")
        #expect(reply.data["last_name"] as? String == "B")
        #expect((reply.data["metadata"] as? [String: Any])?.keys.sorted() == ["z"], "metadata is replaced, not merged")
        #expect(reply.data["updatedAt"] as? String == "2025-06-01T13:00:00.000Z")
        #expect(reply.data["createdAt"] as? String == "2025-06-01T12:00:00.000Z")
        for key in ["transactions", "subscriptions", "authorizations", "identified", "identifications", "risk_action"] {
            #expect(reply.data[key] != nil, "update shape has \(key)")
        }
        let fetched = mock.call(.GET, "/customer/\(code)").data
        #expect(fetched["last_name"] as? String == "B")
    }

    @Test func updateWithFormBody() {
        let reply = mock.call(.PUT, "/customer/\(Fixtures.code(1))", form: "phone=%2B2348000000000&metadata=%7B%22a%22%3Atrue%7D")
        #expect(reply.status == 200)
        #expect(reply.data["phone"] as? String == "+2348000000000")
    }

    @Test func updateOfUnknownCustomerIs404AndBadValuesAre400() {
        #expect(mock.call(.PUT, "/customer/CUS_nobody000000000", json: ["first_name": "X"]).status == 404)
        let bad = mock.call(.PUT, "/customer/\(Fixtures.code(1))", json: ["metadata": "nope"])
        #expect(bad.status == 400)
        #expect(bad.message == Messages.metadataMustBeObject)
        let wrongType = mock.call(.PUT, "/customer/\(Fixtures.code(1))", json: ["first_name": ["x"]])
        #expect(wrongType.message == "\"first_name\" must be a string")
        #expect(mock.call(.GET, "/customer/\(Fixtures.code(1))").data["metadata"] is NSNull, "nothing changed")
    }
}

@Suite struct RiskActionTests {
    let mock = Mock()

    @Test(arguments: ["allow", "deny", "default"])
    func setsTheRiskAction(action: String) {
        let reply = mock.call(.POST, "/customer/set_risk_action", json: ["customer": Fixtures.code(2), "risk_action": action])
        #expect(reply.status == 200)
        #expect(reply.message == Messages.customerUpdated)
        #expect(reply.data["risk_action"] as? String == action)
        #expect(mock.call(.GET, "/customer/\(Fixtures.code(2))").data["risk_action"] as? String == action)
    }

    @Test func riskActionDefaultsToDefaultAndTakesEmails() {
        _ = mock.call(.POST, "/customer/set_risk_action", json: ["customer": Fixtures.code(2), "risk_action": "deny"])
        let reply = mock.call(.POST, "/customer/set_risk_action", form: "customer=customer2%40example.com")
        #expect(reply.data["risk_action"] as? String == "default")
    }

    @Test func invalidAndMissingValuesAre400() {
        let invalid = mock.call(.POST, "/customer/set_risk_action", json: ["customer": Fixtures.code(2), "risk_action": "block"])
        #expect(invalid.status == 400)
        #expect(invalid.message == Messages.riskActionInvalid)
        let missing = mock.call(.POST, "/customer/set_risk_action", json: ["risk_action": "deny"])
        #expect(missing.message == "\"customer\" is required")
        #expect(missing.json["code"] as? String == "missing_params")
        let unknown = mock.call(.POST, "/customer/set_risk_action", json: ["customer": "CUS_nobody000000000", "risk_action": "deny"])
        #expect(unknown.status == 404)
    }

    @Test func restrictedIntegrationCannotWhitelist() {
        let reply = mock.call(.POST, "/customer/set_risk_action", key: Keys.savannaTest, json: ["customer": "CUS_savanna00000000", "risk_action": "allow"])
        #expect(reply.status == 403)
        #expect(reply.message == Messages.riskActionForbidden)
        let deny = mock.call(.POST, "/customer/set_risk_action", key: Keys.savannaTest, json: ["customer": "CUS_savanna00000000", "risk_action": "deny"])
        #expect(deny.status == 200)
    }
}

@Suite struct DeactivateAuthorizationTests {
    let mock = Mock()

    @Test(arguments: ["/customer/authorization/deactivate", "/customer/deactivate_authorization"])
    func deactivationRemovesTheCardOnce(path: String) {
        let reply = mock.call(.POST, path, json: ["authorization_code": "AUTH_first00001"])
        #expect(reply.status == 200)
        #expect(reply.message == Messages.authorizationDeactivated)
        #expect(reply.json.keys.sorted() == ["message", "status"], "no data key")
        let cards = mock.call(.GET, "/customer/\(Fixtures.code(0))").data["authorizations"] as? [[String: Any]] ?? []
        #expect(cards.map { $0["authorization_code"] as? String } == ["AUTH_first00002"])
        let again = mock.call(.POST, path, json: ["authorization_code": "AUTH_first00001"])
        #expect(again.status == 404)
        #expect(again.message == Messages.authorizationCodeNotFound)
    }

    @Test func otherIntegrationsCardsAreNotFound() {
        let reply = mock.call(.POST, "/customer/authorization/deactivate", json: ["authorization_code": "AUTH_savanna001"])
        #expect(reply.status == 404)
    }

    @Test func missingAndMalformedCodesAre400() {
        let missing = mock.call(.POST, "/customer/authorization/deactivate", json: [:])
        #expect(missing.status == 400)
        #expect(missing.message == "\"authorization_code\" is required")
        let malformed = mock.call(.POST, "/customer/authorization/deactivate", json: ["authorization_code": "card-1"])
        #expect(malformed.status == 400)
        #expect(malformed.message == "\"authorization_code\" with value \"card-1\" fails to match the required pattern: /^AUTH_[a-z0-9]+$/i")
    }
}

@Suite struct IdentificationTests {
    let mock = Mock()
    nonisolated(unsafe) static let valid: [String: Any] = [
        "country": "NG", "type": "bank_account", "account_number": "0111111111", "bvn": "222222222221",
        "bank_code": "007", "first_name": "Uchenna", "last_name": "Okoro",
    ]

    @Test func acceptedWith202AndNoData() {
        let reply = mock.call(.POST, "/customer/\(Fixtures.code(0))/identification", json: Self.valid)
        #expect(reply.status == 202)
        #expect(reply.message == Messages.identificationInProgress)
        #expect(reply.json.keys.sorted() == ["message", "status"])
        #expect(mock.call(.POST, "/customer/customer0@example.com/identification", json: Self.valid).status == 202)
    }

    @Test(arguments: ["type", "country", "bvn", "bank_code", "account_number"])
    func missingRequiredFieldIs400(field: String) {
        var body = Self.valid
        body.removeValue(forKey: field)
        let reply = mock.call(.POST, "/customer/\(Fixtures.code(0))/identification", json: body)
        #expect(reply.status == 400)
        #expect(reply.message == "\"\(field)\" is required")
    }

    @Test func namesBvnTypeAndCountryAreChecked() {
        var body = Self.valid
        body["first_name"] = ""
        #expect(mock.call(.POST, "/customer/\(Fixtures.code(0))/identification", json: body).message == Messages.namesRequired)
        body = Self.valid
        body["type"] = "passport"
        #expect(mock.call(.POST, "/customer/\(Fixtures.code(0))/identification", json: body).message == Messages.identificationTypeInvalid)
        body = Self.valid
        body["bvn"] = "12345abc901"
        #expect(mock.call(.POST, "/customer/\(Fixtures.code(0))/identification", json: body).message == Messages.invalidBVN)
        body = Self.valid
        body["type"] = "bvn"
        #expect(mock.call(.POST, "/customer/\(Fixtures.code(0))/identification", json: body).message == "\"value\" is required")
    }

    @Test func unknownCustomerIs404() {
        let reply = mock.call(.POST, "/customer/CUS_nobody000000000/identification", json: Self.valid)
        #expect(reply.status == 404)
        #expect(reply.message == Messages.customerNotFound)
    }
}
