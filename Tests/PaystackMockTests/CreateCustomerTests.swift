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

@Suite struct CreateCustomerTests {
    let mock = Mock()

    @Test func createAnswers200WithTheCreateShape() {
        let reply = mock.call(.POST, "/customer", json: [
            "email": "Some.Body@Example.com", "first_name": "Some", "last_name": "Body", "phone": "+2348123456789",
            "metadata": ["tier": "gold", "score": 12, "tags": ["a", NSNull()]],
        ])
        #expect(reply.status == 200, "Paystack answers 200, not 201")
        #expect(reply.json["status"] as? Bool == true)
        #expect(reply.message == Messages.customerCreated)
        #expect(reply.dataKeysInOrder == [
            "transactions", "subscriptions", "authorizations", "email", "first_name", "last_name", "phone",
            "integration", "domain", "metadata", "customer_code", "risk_action", "id", "createdAt", "updatedAt",
            "identified", "identifications",
        ])
        let data = reply.data
        #expect(data["email"] as? String == "Some.Body@Example.com", "stored as given")
        #expect(data["integration"] as? Int == Fixtures.acme.id)
        #expect(data["domain"] as? String == "test")
        #expect(data["risk_action"] as? String == "default")
        #expect(data["identified"] as? Bool == false)
        #expect(data["identifications"] is NSNull)
        #expect((data["metadata"] as? [String: Any])?["tier"] as? String == "gold")
        #expect(data["createdAt"] as? String == "2025-06-01T12:00:00.000Z")
        let code = data["customer_code"] as? String ?? ""
        #expect(isValidCustomerCode(code), "code \(code) must be CUS_ + 15 of [a-z0-9]")
        #expect(reply.header("Content-Type") == "application/json")
    }

    @Test func idsIncreaseAndCodesDiffer() {
        let first = mock.call(.POST, "/customer", json: ["email": "one@example.com"]).data
        let second = mock.call(.POST, "/customer", json: ["email": "two@example.com"]).data
        #expect((second["id"] as! Int) > (first["id"] as! Int))
        #expect(second["customer_code"] as? String != first["customer_code"] as? String)
    }

    @Test func existingEmailReturnsTheStoredCustomerUnchanged() {
        let first = mock.call(.POST, "/customer", json: ["email": "dup@example.com", "first_name": "First"]).data
        let again = mock.call(.POST, "/customer", json: ["email": "DUP@example.COM", "first_name": "Second"])
        #expect(again.status == 200)
        #expect(again.message == Messages.customerCreated)
        #expect(again.data["id"] as? Int == first["id"] as? Int)
        #expect(again.data["customer_code"] as? String == first["customer_code"] as? String)
        #expect(again.data["first_name"] as? String == "First")
    }

    @Test func unsetFieldsAreNull() {
        let data = mock.call(.POST, "/customer", json: ["email": "bare@example.com"]).data
        #expect(data["first_name"] is NSNull)
        #expect(data["last_name"] is NSNull)
        #expect(data["phone"] is NSNull)
        #expect(data["metadata"] is NSNull)
    }

    @Test func missingEmailIsMissingParams() {
        let before = mock.customerCount
        let reply = mock.call(.POST, "/customer", json: ["first_name": "No email"])
        #expect(reply.status == 400)
        #expect(reply.message == "\"email\" is required")
        #expect(reply.json["type"] as? String == "validation_error")
        #expect(reply.json["code"] as? String == "missing_params")
        #expect((reply.json["meta"] as? [String: Any])?["nextStep"] as? String == "Provide all required params")
        #expect(mock.customerCount == before)
    }

    @Test(arguments: ["plainaddress", "a@b", "a b@example.com", "@example.com", "a@example..com", "a@-x.com", "a@example.c"])
    func malformedEmailIsRejected(email: String) {
        let before = mock.customerCount
        let reply = mock.call(.POST, "/customer", json: ["email": email])
        #expect(reply.status == 400)
        #expect(reply.message == Messages.invalidEmail)
        #expect(reply.json["code"] as? String == "invalid_params")
        #expect(mock.customerCount == before)
    }

    @Test(arguments: [
        #"{"email":5}"#, #"{"email":"ok@example.com","first_name":true}"#, #"{"email":"ok@example.com","phone":2348123}"#,
    ])
    func wrongJSONTypesNameTheField(body: String) {
        let before = mock.customerCount
        let reply = mock.call(.POST, "/customer", rawBody: body, contentType: "application/json")
        #expect(reply.status == 400)
        let field = body.contains("first_name") ? "first_name" : body.contains("phone") ? "phone" : "email"
        #expect(reply.message == "\"\(field)\" must be a string")
        #expect(mock.customerCount == before)
    }

    @Test(arguments: ["", "text", "[1,2]"])
    func metadataMustBeAnObject(raw: String) {
        let reply = mock.call(.POST, "/customer", json: ["email": "meta@example.com", "metadata": raw])
        #expect(reply.status == 400)
        #expect(reply.message == Messages.metadataMustBeObject)
        let array = mock.call(.POST, "/customer", json: ["email": "meta@example.com", "metadata": [1, 2]])
        #expect(array.message == Messages.metadataMustBeObject)
        #expect(mock.call(.GET, "/customer/meta@example.com").status == 404, "nothing stored")
    }

    @Test func invalidJSONIsA400ThatSaysSo() {
        let before = mock.customerCount
        let reply = mock.call(.POST, "/customer", rawBody: "{\"email\": \"a@b.co\"", contentType: "application/json")
        #expect(reply.status == 400)
        #expect(reply.message == Messages.invalidJSON)
        let notObject = mock.call(.POST, "/customer", rawBody: "[1]", contentType: "application/json")
        #expect(notObject.status == 400)
        #expect(mock.customerCount == before)
    }

    @Test func formBodiesWorkWithMetadataAsJSONString() {
        let reply = mock.call(
            .POST, "/customer",
            form: "email=form%40example.com&first_name=Form+User&metadata=%7B%22k%22%3A%5B1%2C2%5D%7D")
        #expect(reply.status == 200)
        #expect(reply.data["email"] as? String == "form@example.com")
        #expect(reply.data["first_name"] as? String == "Form User")
        #expect(((reply.data["metadata"] as? [String: Any])?["k"] as? [Int]) == [1, 2])
        let bad = mock.call(.POST, "/customer", form: "email=form2%40example.com&metadata=notjson")
        #expect(bad.message == Messages.metadataMustBeObject)
    }

    @Test func unknownFieldsAreIgnored() {
        let reply = mock.call(.POST, "/customer", json: ["email": "extra@example.com", "favourite_colour": "teal"])
        #expect(reply.status == 200)
        #expect(reply.data["favourite_colour"] == nil)
    }
}

