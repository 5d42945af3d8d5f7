import EventHTTP

/// A validated `POST /customer/{email_or_code}/identification` body.
public struct IdentificationRequest: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case bvn
        case bankAccount = "bank_account"
    }

    public var type: Kind
    public var country: String
    public var bvn: String
    public var bankCode: String
    public var accountNumber: String
    public var firstName: String
    public var lastName: String
    public var middleName: String?
    public var value: String?
    /// Set once accepted: who it is for.
    public var customerID: Int = 0
    public var customerCode: String = ""
    public var email: String = ""
    public var integration: Int = 0
    public var domain: Domain = .test

    /// Validates in Paystack's order: types, the spec's required fields, the type enum, `value`
    /// for `bvn`, the names (Paystack's own message), then the BVN and country formats.
    init(_ body: RequestBody) throws(PaystackError) {
        for field in ["type", "country", "bvn", "bank_code", "account_number", "first_name", "last_name", "middle_name", "value"] {
            _ = try body.string(field)
        }
        let typeText = try body.requiredString("type")
        let country = try body.requiredString("country")
        let bvn = try body.requiredString("bvn")
        let bankCode = try body.requiredString("bank_code")
        let accountNumber = try body.requiredString("account_number")
        guard let type = Kind(rawValue: typeText) else { throw PaystackError.invalid(Messages.identificationTypeInvalid) }
        let value = try body.string("value")
        if type == .bvn, value?.isEmpty ?? true { throw PaystackError.missing("value") }
        guard let firstName = try body.string("first_name"), let lastName = try body.string("last_name"),
              firstName.contains(where: { !$0.isWhitespace }), lastName.contains(where: { !$0.isWhitespace })
        else { throw PaystackError(status: 400, message: Messages.namesRequired, code: .missingParams) }
        guard bvn.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { throw PaystackError.invalid(Messages.invalidBVN) }
        guard country.utf8.count == 2, country.utf8.allSatisfy({ ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) }) else {
            throw PaystackError.invalid(Messages.countryInvalid)
        }
        self.type = type
        self.country = country.uppercased()
        self.bvn = bvn
        self.bankCode = bankCode
        self.accountNumber = accountNumber
        self.firstName = firstName
        self.lastName = lastName
        self.middleName = try body.string("middle_name")
        self.value = value
    }

    func accepted(for customer: Customer, account: Account) -> IdentificationRequest {
        var copy = self
        copy.customerID = customer.id
        copy.customerCode = customer.customerCode
        copy.email = customer.email
        copy.integration = account.integration.id
        copy.domain = account.domain
        return copy
    }
}
