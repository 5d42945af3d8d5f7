import PaystackCore

extension IdentificationSubmission {
    /// Validates a body in Paystack's order: types, the spec's required fields, the type enum,
    /// `value` for `bvn`, the names (Paystack's own message), then the BVN and country formats.
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
        self.init(
            type: type, country: country.uppercased(), bvn: bvn, bankCode: bankCode, accountNumber: accountNumber,
            firstName: firstName, lastName: lastName, middleName: try body.string("middle_name"), value: value)
    }
}
