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

    /// The table against the character sets spelled out (not built from the helpers the table is).
    @Test func emailByteClassesAreTheCharacterRules() {
        let letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", digits = "0123456789"
        let local = Set((letters + digits + "!#$%&'*+-/=?^_`{|}~.").utf8), label = Set((letters + digits + "-").utf8)
        let digit = Set(digits.utf8)
        var wrong: [UInt8] = []
        for byte in UInt8.min...UInt8.max {
            let classes = EmailBytes.classes[Int(byte)]
            if (classes & EmailBytes.local != 0) != local.contains(byte) || (classes & EmailBytes.label != 0) != label.contains(byte)
                || (classes & EmailBytes.digit != 0) != digit.contains(byte) {
                wrong.append(byte)
            }
        }
        #expect(EmailBytes.classes.count == 256)
        #expect(wrong.isEmpty, "bytes classed wrongly: \(wrong)")
    }

    /// The validator against the rules written out plainly, over random strings of the characters
    /// that matter (letters, digits, dots, hyphens, `@`, a symbol, a space, a non-ASCII letter).
    @Test func emailValidationAgreesWithTheRulesWrittenPlainly() {
        func plain(_ email: String) -> Bool {
            let bytes = Array(email.utf8)
            guard bytes.count <= 254, let at = bytes.lastIndex(of: UInt8(ascii: "@")) else { return false }
            let local = bytes[..<at], domain = bytes[(at + 1)...]
            let localSymbols = Array("!#$%&'*+-/=?^_`{|}~".utf8)
            guard (1...64).contains(local.count), local.first != UInt8(ascii: "."), local.last != UInt8(ascii: "."),
                  !zip(local, local.dropFirst()).contains(where: { $0 == UInt8(ascii: ".") && $1 == UInt8(ascii: ".") }),
                  local.allSatisfy({ isASCIIAlphanumeric($0) || localSymbols.contains($0) || $0 == UInt8(ascii: ".") })
            else { return false }
            let labels = domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
            guard labels.count >= 2, let top = labels.last, top.count >= 2, !top.allSatisfy(isASCIIDigit) else { return false }
            return labels.allSatisfy { label in
                (1...63).contains(label.count) && label.first != UInt8(ascii: "-") && label.last != UInt8(ascii: "-")
                    && label.allSatisfy { isASCIIAlphanumeric($0) || $0 == UInt8(ascii: "-") }
            }
        }
        let pieces = ["a", "b", "Z", "0", "9", ".", "-", "@", "+", "_", " ", "é", "co", "example", "12"]
        var random = SystemRandomNumberGenerator()
        var accepted = 0
        for _ in 0..<20_000 {
            func part(_ most: Int) -> String {
                (0..<Int.random(in: 0...most, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            }
            // Mostly shaped as local@domain.tld, so that valid ones come up too.
            let email = Bool.random(using: &random) ? part(12) : part(4) + "@" + part(4) + "." + part(3)
            #expect(isValidEmail(email) == plain(email), "\(email)")
            if plain(email) { accepted += 1 }
        }
        #expect(accepted > 100, "the random strings reach valid emails too")
        // The length limits, at and past each: a 63- and a 64-character label, 254 and 255 in all.
        func long(_ last: Int) -> String {
            String(repeating: "a", count: 64) + "@" + String(repeating: "b", count: 63) + "." + String(repeating: "c", count: 63)
                + "." + String(repeating: "d", count: last) + ".com"
        }
        #expect(long(57).utf8.count == 254 && long(58).utf8.count == 255)
        let label63 = "a@" + String(repeating: "b", count: 63) + ".com", label64 = "a@" + String(repeating: "b", count: 64) + ".com"
        for email in ["a@b.co", "x.y+z@sub.example.com", String(repeating: "a", count: 64) + "@example.com", label63, long(57)] {
            #expect(isValidEmail(email) && plain(email), "\(email.utf8.count) bytes")
        }
        for email in [".a@b.co", "a.@b.co", String(repeating: "a", count: 65) + "@example.com", "a@b.12", "a@b-.co", label64, long(58)] {
            #expect(!isValidEmail(email) && !plain(email), "\(email.utf8.count) bytes")
        }
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

